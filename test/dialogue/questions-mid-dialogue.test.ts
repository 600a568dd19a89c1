import { testApp, type Follower, type TestApp } from '../helpers/app';
import { PROMPTS, lastLine } from '../helpers/certify';

/** A question typed in the middle of the dialogue is answered, the step is asked again, and nothing is lost. */

const ID = '11010519491231002X';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

async function at(answers: readonly string[]): Promise<Follower> {
  const f = t.follower();
  await f.say('认证');
  for (const a of answers) await f.say(a);
  return f;
}
const atName = () => at(['1', '2', ID]);

describe('at the name step', () => {
  it.each([
    ['在外地能认证吗', '外地'],
    ['没有智能手机怎么办', '智能手机'],
  ])('answers %s and asks for the name again', async (question, topic) => {
    const f = await atName();
    const reply = await f.say(question);
    expect(reply).toContain('答：');
    expect(reply).toContain(topic);
    expect(reply).toContain('请接着完成这一步');
    expect(lastLine(reply)).toBe(PROMPTS.name);

    expect(lastLine(await f.say('王秀英'))).toBe(PROMPTS.phone);
    const confirmation = await f.say('13912342345');
    expect(confirmation).toContain('认证类别：工伤资格认证');
    expect(confirmation).toContain('身份证号：1101**********002X');
    expect(confirmation).toContain('姓名：王*英');
  });

  it('answers a question asked by voice, with the 。 speech recognition adds', async () => {
    const f = await atName();
    const reply = await f.voice('在外地能认证吗。');
    expect(reply).toContain('答：');
    expect(lastLine(reply)).toBe(PROMPTS.name);
  });

  it.each(['在外地能认证吗', '没有智能手机怎么办', '需要本人吗', '认证要多久', '要带什么', '为什么要认证', '我是他女儿可以吗', '人脸识别不过怎么办', '不会', '听不懂'])(
    'never takes %s for a name',
    async (question) => {
      const f = await atName();
      const reply = await f.say(question);
      expect(lastLine(reply)).toBe(PROMPTS.name);
      expect(reply).not.toContain(PROMPTS.phone);

      await f.say('王秀英');
      const confirmation = await f.say('13912342345');
      expect(confirmation).toContain('姓名：王*英');
    },
  );
});

describe('at the other steps', () => {
  it.each([
    ['notice', [] as string[], '可以用别人手机吗'],
    ['category', ['1'], '认证类别选哪个'],
    ['id', ['1', '1'], '在外地能认证吗'],
    ['phone', ['1', '1', ID, '王秀英'], '可以用家人的手机号吗'],
    ['confirm', ['1', '1', ID, '王秀英', '13912342345'], '一年认证几次'],
  ] as const)('answers a question at the %s step and asks that step again', async (step, answers, question) => {
    const f = await at(answers);
    const reply = await f.say(question);
    expect(reply).toContain('答：');
    expect(reply).toContain('请接着完成这一步');
    expect(lastLine(reply)).toBe(PROMPTS[step]);
  });

  it('keeps the confirmation intact after a question there', async () => {
    const f = await at(['1', '4', ID, '王秀英', '13912342345']);
    const reply = await f.say('打哪个电话');
    expect(reply).toContain('0471-');
    expect(reply).toContain('认证类别：工伤遗属认证');
    expect(reply).toContain('手机号：139****2345');
    expect(await f.say('1')).toMatch(/\/face-check\/[\w-]{32}/);
  });
});

describe('the menu buttons during the dialogue', () => {
  it.each([
    ['CERT_NOTICE', '【办理须知】'],
    ['HELP_PHONES', '0471-6218170'],
    ['CARE_GUIDE', '大字'],
  ])('answer %s and ask the step again', async (key, shown) => {
    const f = await atName();
    const reply = await f.tap(key);
    expect(reply).toContain(shown);
    expect(lastLine(reply)).toBe(PROMPTS.name);
    expect(lastLine(await f.say('王秀英'))).toBe(PROMPTS.phone);
  });

  it('shows the 常见问题 list when tapped, answers the question picked from it, then asks the step again', async () => {
    const f = await atName();
    const groups = await f.tap('FAQ_TOPICS');
    expect(groups).toContain('常见问题分这几类');
    expect(lastLine(groups)).toContain('发送“继续”');
    expect(await f.say('3')).toContain('无智能手机如何认证');
    const answer = await f.say('2');
    expect(answer).toContain('答：');
    expect(lastLine(answer)).toBe(PROMPTS.name);
    expect(lastLine(await f.say('王秀英'))).toBe(PROMPTS.phone);
  });

  it('goes back to the step on 继续 after the list', async () => {
    const f = await atName();
    await f.say('帮助');
    expect(lastLine(await f.say('继续'))).toBe(PROMPTS.name);
  });

  it('answers a button it does not know (a menu changed since) as a button, and asks the step again', async () => {
    const f = await atName();
    const reply = await f.tap('OLD_MENU_KEY');
    expect(reply).toContain('菜单按钮已经更新了');
    expect(reply).not.toContain('回答不了');
    expect(lastLine(reply)).toBe(PROMPTS.name);
  });

  it('resumes the step when 待遇资格认证 is tapped again', async () => {
    const f = await atName();
    const reply = await f.tap('CERT_START');
    expect(reply).toContain('您正在办理认证');
    expect(lastLine(reply)).toBe(PROMPTS.name);
  });
});
