import { testApp, type Follower, type TestApp } from '../helpers/app';
import { PROMPTS, idNumber, lastLine, masked } from '../helpers/certify';

/** Moving around: 返回/上一步 one step back, 退出/取消 leaves and forgets, and an idle dialogue times out. */

const ID = '11010519491231002X';
const OTHER_ID = idNumber('19560708', '123');
const ANSWERS = ['1', '2', ID, '王秀英', '13912342345'];
const STEPS = ['notice', 'category', 'id', 'name', 'phone', 'confirm'] as const;

let t: TestApp;
afterEach(() => t.close());

/** 认证 and the first `answered` answers: the follower is then at STEPS[answered]. */
async function at(answered: number): Promise<Follower> {
  const f = t.follower();
  await f.say('认证');
  for (const a of ANSWERS.slice(0, answered)) await f.say(a);
  return f;
}

const stateOf = async (f: Follower) => (await t.store.get(t.rt.layout.follower(f.openid).state.key)) ?? '';

describe('going back', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it.each(STEPS.slice(1).flatMap((step, i) => ['返回', '上一步'].map((word) => [word, step, STEPS[i]!] as const)))(
    '%s at the %s step asks the %s question again',
    async (word, step, previous) => {
      const f = await at(STEPS.indexOf(step));
      expect(lastLine(await f.say(word))).toBe(PROMPTS[previous]);
    },
  );

  it('says the notice is already the first step and shows it again', async () => {
    const f = await at(0);
    const reply = await f.say('返回');
    expect(reply).toContain('已经是第一步了');
    expect(lastLine(reply)).toBe(PROMPTS.notice);
  });

  it('lets the phone number be changed from the confirmation and keeps the rest', async () => {
    const f = await at(5);
    expect(lastLine(await f.say('返回'))).toBe(PROMPTS.phone);
    const confirmation = await f.say('13800001111');
    expect(confirmation).toContain('认证类别：工伤资格认证');
    expect(confirmation).toContain('身份证号：1101**********002X');
    expect(confirmation).toContain('姓名：王*英');
    expect(confirmation).toContain('手机号：138****1111');
  });

  it('walks all the way back to the notice and forward again to a confirmation of the new answers', async () => {
    const f = await at(5);
    for (const step of ['phone', 'name', 'id', 'category', 'notice'] as const) expect(lastLine(await f.say('返回'))).toBe(PROMPTS[step]);
    for (const a of ['1', '5', OTHER_ID, '李四']) await f.say(a);
    const confirmation = await f.say('13700002222');
    expect(confirmation).toContain('认证类别：其他待遇认证');
    expect(confirmation).toContain(`身份证号：${masked.id(OTHER_ID)}`);
    expect(confirmation).toContain('姓名：李*');
    expect(confirmation).toContain('手机号：137****2222');
  });
});

describe('leaving', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it.each(STEPS.flatMap((step, i) => ['退出', '取消'].map((word) => [word, step, i] as const)))(
    '%s at the %s step leaves and says the entered data is cleared',
    async (word, _, answered) => {
      const f = await at(answered);
      const reply = await f.say(word);
      expect(reply).toContain('已退出认证，您填写的信息已经清除');
      expect(lastLine(reply)).toContain('发送“认证”');
      const state = await stateOf(f);
      expect(state).not.toContain(ID);
      expect(state).not.toContain('王秀英');
      expect(state).not.toContain('13912342345');
    },
  );

  it('starts a later 认证 at the category, without the notice and without the earlier data', async () => {
    const f = await at(5);
    await f.say('退出');
    expect(lastLine(await f.say('认证'))).toBe(PROMPTS.category);
    expect(lastLine(await f.say('3'))).toBe(PROMPTS.id);
    // The earlier ID number is gone: a name here is refused as an ID number, not taken as the next step.
    expect(lastLine(await f.say('张三'))).toBe(PROMPTS.id);
    await f.say(OTHER_ID);
    await f.say('张三');
    const confirmation = await f.say('13600003333');
    expect(confirmation).toContain('认证类别：养老遗属认证');
    expect(confirmation).not.toContain('1101**********002X');
    expect(confirmation).toContain('姓名：张*');
  });

  it('says there is nothing to leave outside a certification', async () => {
    expect(await t.follower().say('退出')).toContain('您现在没有正在办理的认证');
  });
});

describe('an idle dialogue', () => {
  beforeEach(async () => {
    t = await testApp({ env: { DIALOGUE_IDLE_MINUTES: '30' } });
  });

  it('is still there after 29 quiet minutes, and again after 29 more', async () => {
    const f = await at(3);
    t.clock.advance(29 * 60_000);
    expect(lastLine(await f.say('王秀英'))).toBe(PROMPTS.phone);
    t.clock.advance(29 * 60_000);
    const confirmation = await f.say('13912342345');
    expect(confirmation).toContain('身份证号：1101**********002X');
    expect(confirmation).not.toContain('分钟没有操作');
  });

  it('ends after 31 quiet minutes: the follower is told kindly and the certification starts afresh', async () => {
    const f = await at(4);
    t.clock.advance(31 * 60_000);
    const reply = await f.say('13912342345');
    expect(reply).toContain('您上次的认证超过30分钟没有操作，已经自动结束，填写的信息已经清除');
    expect(reply).not.toContain('请核对信息');
    expect(reply).not.toContain('回答不了');
    expect(reply).toContain('【办理须知】');
    expect(lastLine(reply)).toBe(PROMPTS.notice);
    expect(await stateOf(f)).not.toContain(ID);

    // Told once; the fresh dialogue goes on without the earlier data.
    const next = await f.say('1');
    expect(next).not.toContain('分钟没有操作');
    expect(lastLine(next)).toBe(PROMPTS.category);
    await f.say('1');
    expect(lastLine(await f.say('王秀英'))).toBe(PROMPTS.id);
  });

  it('ends after 31 quiet minutes also when the follower sends 认证, starting with the notice', async () => {
    const f = await at(3);
    t.clock.advance(31 * 60_000);
    const reply = await f.say('认证');
    expect(reply).toContain('已经自动结束');
    expect(lastLine(reply)).toBe(PROMPTS.notice);
  });

  it('does not tell a relative who comes back after the link that anything was cleared', async () => {
    const f = await at(5);
    expect(await f.say('1')).toContain('/face-check/');
    t.clock.advance(31 * 60_000);
    const reply = await f.say('每年认证几次');
    expect(reply).not.toContain('分钟没有操作');
    expect(reply).toContain('认证一次');
  });
});

describe('greetings', () => {
  beforeEach(async () => {
    t = await testApp();
  });

  it('get the welcome with what the account can do, and its numbers work', async () => {
    const f = t.follower();
    const hello = await f.say('你好');
    expect(hello).toContain('欢迎关注');
    expect(hello).not.toContain('回答不了');
    expect(lastLine(await f.say('1'))).toBe(PROMPTS.notice);
  });

  it('in the middle of a dialogue ask the pending question again', async () => {
    const f = await at(2);
    const reply = await f.say('在吗');
    expect(reply).toContain('您正在办理认证');
    expect(lastLine(reply)).toBe(PROMPTS.id);
  });
});
