import { testApp, type Follower, type TestApp } from '../helpers/app';
import { lastLine, PROMPTS } from '../helpers/certify';

/** The name and phone steps: each mistake is named and the question asked again; nothing is lost. */

const ID = '11010519491231002X';
const NAME_QUESTION = '请发送姓名。';
const PHONE_QUESTION = '请发送手机号码。';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

/** Category 工伤资格认证 (2) and the ID entered, so the confirmation can prove both were kept. */
async function atNameStep(): Promise<Follower> {
  const f = t.follower();
  await f.say('认证');
  await f.say('1');
  await f.say('2');
  expect(await f.say(ID)).toContain(NAME_QUESTION);
  return f;
}

async function atPhoneStep(name = '王秀英'): Promise<Follower> {
  const f = await atNameStep();
  expect(await f.say(name)).toContain(PHONE_QUESTION);
  return f;
}

describe('a wrong name', () => {
  it.each([
    ['Latin letters', 'Wang Xiuying'],
    ['one character', '王'],
    ['digits', '王秀英2'],
    ['21 characters', '阿'.repeat(21)],
    ['a dot at the end', '阿卜杜拉·'],
    ['two dots in a row', '阿卜杜拉··买买提'],
  ])('refuses %s, says why and asks for the name again', async (_, wrong) => {
    const f = await atNameStep();
    const reply = await f.say(wrong);
    expect(reply).toContain('姓名只能是汉字');
    expect(reply).toContain('2到20个字');
    expect(lastLine(reply)).toBe(NAME_QUESTION);

    expect(await f.say('王秀英')).toContain(PHONE_QUESTION);
    const confirmation = await f.say('13912342345');
    expect(confirmation).toContain('认证类别：工伤资格认证');
    expect(confirmation).toContain('身份证号：1101**********002X');
    expect(confirmation).toContain('姓名：王*英');
  });
});

describe('the ways a name may be written', () => {
  it.each([
    ['with a middle dot ·', '阿卜杜拉·买买提', '阿***·**提'],
    ['with a katakana dot ・', '阿卜杜拉・买买提', '阿***·**提'],
    ['with a bullet •', '阿卜杜拉•买买提', '阿***·**提'],
    ['as a Mongolian name without dots', '额尔敦巴雅尔', '额****尔'],
    ['with two characters', '王英', '王*'],
    ['with spaces between the characters', '王 秀 英', '王*英'],
    ['as speech recognition writes it, with a 。 at the end', '王秀英。', '王*英'],
  ])('accepts it %s and shows it masked in the confirmation', async (_, name, shown) => {
    const f = await atNameStep();
    expect(await f.say(name)).toContain(PHONE_QUESTION);
    expect(await f.say('13912342345')).toContain(`姓名：${shown}`);
  });

  it('accepts a name sent as a voice message', async () => {
    const f = await atNameStep();
    expect(await f.voice('王秀英。')).toContain(PHONE_QUESTION);
    expect(await f.say('13912342345')).toContain('姓名：王*英');
  });
});

describe('a wrong phone number', () => {
  it.each([
    ['10 digits', '1391234234'],
    ['12 digits', '139123423451'],
    ['a number starting with 2', '23912342345'],
    ['a landline number', '0471-3670679'],
    ['letters', 'abc'],
  ])('refuses %s, says why and asks for the phone number again', async (_, wrong) => {
    const f = await atPhoneStep();
    const reply = await f.say(wrong);
    expect(reply).toContain('以1开头的11位数字');
    expect(lastLine(reply)).toBe(PHONE_QUESTION);

    const confirmation = await f.say('13912342345');
    expect(confirmation).toContain('认证类别：工伤资格认证');
    expect(confirmation).toContain('身份证号：1101**********002X');
    expect(confirmation).toContain('姓名：王*英');
    expect(confirmation).toContain('手机号：139****2345');
  });
});

describe('the ways a phone number may be typed', () => {
  it.each([
    ['with +86 in front', '+8613912342345'],
    ['with +86 and spaces', '+86 139 1234 2345'],
    ['with spaces', '139 1234 2345'],
    ['with hyphens', '139-1234-2345'],
    ['in full-width digits', '１３９１２３４２３４５'],
    ['as speech recognition writes it, with a 。 at the end', '13912342345。'],
  ])('accepts it %s and shows it masked in the confirmation', async (_, phone) => {
    const f = await atPhoneStep();
    const confirmation = await f.say(phone);
    expect(confirmation).toContain('手机号：139****2345');
    expect(lastLine(confirmation)).toBe(PROMPTS.confirm);
  });
});

it('keeps everything when mistakes are made at every step, and the link goes out for the right person', async () => {
  const f = await atNameStep();
  await f.say('Wang');
  await f.say('王秀英');
  await f.say('1391234234');
  const confirmation = await f.say('13912342345');
  expect(confirmation).toContain('认证类别：工伤资格认证');
  expect(confirmation).toContain('身份证号：1101**********002X');
  expect(confirmation).toContain('姓名：王*英');
  expect(confirmation).toContain('手机号：139****2345');
  expect(await f.say('1')).toContain('让王*英本人面对手机');
});
