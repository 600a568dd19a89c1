import { testApp, type Follower, type TestApp } from '../helpers/app';
import { lastLine, PROMPTS } from '../helpers/certify';

/** Numbered choices: 1, １, 一, 第一个 and the option's own words all work; a number off the list is refused kindly. */

const ID = '11010519491231002X';
const CATEGORY_QUESTION = '领养老金的退休人员请选 1。请回复数字 1 到 5。';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

async function atNotice(): Promise<Follower> {
  const f = t.follower();
  expect(await f.say('认证')).toContain('【办理须知】');
  return f;
}

async function atCategory(): Promise<Follower> {
  const f = await atNotice();
  expect(await f.say('1')).toContain(CATEGORY_QUESTION);
  return f;
}

async function atConfirm(): Promise<Follower> {
  const f = await atCategory();
  for (const answer of ['3', ID, '王秀英']) await f.say(answer);
  expect(await f.say('13912342345')).toContain('请核对信息');
  return f;
}

describe('the notice', () => {
  it.each(['1', '１', '一', '第一个', '本人已知悉以上规定', '知道了'])('is acknowledged with %s', async (answer) => {
    const f = await atNotice();
    expect(await f.say(answer)).toContain(CATEGORY_QUESTION);
  });

  it('is shown again with the reason when the answer is not 1', async () => {
    const f = await atNotice();
    const reply = await f.say('2');
    expect(reply).toContain('需要先确认办理须知才能继续');
    expect(reply).toContain('【办理须知】');
    expect(lastLine(reply)).toContain('回复 1');
  });
});

describe('the category', () => {
  it.each([
    ['1', '养老资格认证'],
    ['１', '养老资格认证'],
    ['一', '养老资格认证'],
    ['选1', '养老资格认证'],
    ['2', '工伤资格认证'],
    ['二', '工伤资格认证'],
    ['３', '养老遗属认证'],
    ['四', '工伤遗属认证'],
    ['第5个', '其他待遇认证'],
    ['五', '其他待遇认证'],
    ['养老资格认证', '养老资格认证'],
    ['工伤遗属认证', '工伤遗属认证'],
    ['养老遗属', '养老遗属认证'],
    ['其他待遇', '其他待遇认证'],
  ])('is chosen with %s as %s', async (answer, category) => {
    const f = await atCategory();
    expect(await f.say(answer)).toContain('请发送身份证号码');
    for (const a of [ID, '王秀英']) await f.say(a);
    expect(await f.say('13912342345')).toContain(`认证类别：${category}`);
  });

  it.each(['6', '０', '９', '十', '六'])('refuses %s kindly, names the range and asks again', async (answer) => {
    const f = await atCategory();
    const reply = await f.say(answer);
    expect(reply).toContain('没有这个序号，请回复 1 到 5 中的一个数字');
    expect(lastLine(reply)).toBe(CATEGORY_QUESTION);
    expect(await f.say('2')).toContain('请发送身份证号码');
  });

  it.each([
    ['工伤', '工伤资格认证'],
    ['养老', '养老资格认证'],
    ['养老金', '养老资格认证'],
    ['我是退休工人', '养老资格认证'],
    ['工伤遗属', '工伤遗属认证'],
  ])('takes the everyday word %s for %s, the longer word winning', async (answer, category) => {
    const f = await atCategory();
    expect(await f.say(answer)).toContain('请发送身份证号码');
    for (const a of [ID, '王秀英']) await f.say(a);
    expect(await f.say('13912342345')).toContain(`认证类别：${category}`);
  });
});

describe('the confirmation', () => {
  it.each(['1', '１', '一', '信息无误', '对'])('issues the link on %s', async (answer) => {
    const f = await atConfirm();
    expect(await f.say(answer)).toMatch(/\/face-check\/[\w-]{32}/);
  });

  it.each(['2', '２', '二'])('asks only the category again on %s, and comes back to the confirmation with the rest kept', async (answer) => {
    const f = await atConfirm();
    expect(lastLine(await f.say(answer))).toBe(CATEGORY_QUESTION);
    const confirmation = await f.say('1');
    expect(confirmation).toContain('认证类别：养老资格认证');
    expect(confirmation).toContain('身份证号：1101**********002X');
    expect(confirmation).toContain('姓名：王*英');
    expect(confirmation).toContain('手机号：139****2345');
  });

  it.each(['信息有误', '不对', '错了'])('asks which item is wrong on %s, keeping everything', async (answer) => {
    const f = await atConfirm();
    const reply = await f.say(answer);
    expect(reply).toContain('哪一项不对');
    expect(reply).toContain('手机号：139****2345');
    expect(lastLine(reply)).toBe(PROMPTS.confirm);
    expect(await f.say('1')).toMatch(/\/face-check\/[\w-]{32}/);
  });

  it.each(['重新填写'])('starts the form again on %s, without the entered data', async (answer) => {
    const f = await atConfirm();
    expect(await f.say(answer)).toContain(CATEGORY_QUESTION);
    const raw = (await t.store.get(t.rt.layout.follower(f.openid).state.key)) ?? '';
    expect(raw).not.toContain('category'); // sealed at rest
    const state = t.rt.layout.unseal(raw) ?? '';
    expect(state).toContain('"category"');
    for (const entered of [ID, '王秀英', '13912342345']) expect(state).not.toContain(entered);
    // The ID number must be asked again: nothing from before is reused.
    expect(lastLine(await f.say('1'))).toBe(PROMPTS.id);
    expect(lastLine(await f.say('王秀英'))).toBe(PROMPTS.id);
  });

  it.each(['6', '０', '六'])('refuses %s kindly and shows the confirmation again', async (answer) => {
    const f = await atConfirm();
    const reply = await f.say(answer);
    expect(reply).toContain('没有这个序号，请回复 1 到 5 中的一个数字');
    expect(reply).toContain('认证类别：养老遗属认证');
    expect(lastLine(reply)).toBe(PROMPTS.confirm);
  });
});

describe('the welcome menu', () => {
  it.each(['1', '１', '一'])('starts the certification on %s', async (answer) => {
    const f = t.follower();
    expect(await f.event('subscribe')).toContain('1. 开始待遇资格认证');
    expect(await f.say(answer)).toContain('【办理须知】');
  });

  it('refuses a number off the menu kindly', async () => {
    const f = t.follower();
    await f.event('subscribe');
    expect(await f.say('４')).toContain('没有这个序号，请回复 1 到 3 中的一个数字');
  });
});
