import { testApp, type Follower, type TestApp } from '../helpers/app';
import { idNumber, lastLine, masked, withWrongCheck } from '../helpers/certify';

/** The ID-number step: each mistake is named and the question asked again; accepted spellings go through. */

const ID_QUESTION = '请发送身份证号码。';
const GOOD = '11010519491231002X';
const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

/** Up to the ID step, having chosen 养老遗属认证 (3), so the confirmation can prove it was kept. */
async function atIdStep(): Promise<Follower> {
  const f = t.follower();
  await f.say('认证');
  await f.say('1');
  expect(await f.say('3')).toContain(ID_QUESTION);
  return f;
}

async function finish(f: Follower, id: string): Promise<string> {
  expect(await f.say(id)).toContain('请发送姓名');
  await f.say('王秀英');
  return f.say('13912342345');
}

describe('a wrong ID number', () => {
  it.each([
    ['17 digits', '15010219490101001', '应该是18位，您发来的是17位'],
    ['an old 15-digit number', '150102490101001', '应该是18位，您发来的是15位'],
    ['19 digits', `${idNumber('19490101')}1`, '应该是18位，您发来的是19位'],
    ['a letter O typed for a zero', '15010219490101O01X', '只能是数字，最后一位可以是X'],
    ['an X that is not last', '1501021949X101001X', '只能是数字，最后一位可以是X'],
    ['words instead of a number', '不记得了', '只能是数字，最后一位可以是X'],
    ['the 30th of February as birth date', idNumber('19490230'), '出生日期不对'],
    ['a 13th month', idNumber('19491301'), '出生日期不对'],
    ['a birth date in the future', idNumber('20300101'), '出生日期不对'],
    ['a wrong check digit', withWrongCheck(idNumber('19490101')), '最后一位校验不对'],
    ['a wrong check X', withWrongCheck(GOOD), '最后一位校验不对'],
  ])('refuses %s, says why, asks for the ID number again and keeps the category', async (_, wrong, reason) => {
    const f = await atIdStep();
    const reply = await f.say(wrong);
    expect(reply).toContain(reason);
    expect(lastLine(reply)).toBe(ID_QUESTION);
    expect(reply).not.toContain('请发送姓名');

    const confirmation = await finish(f, GOOD);
    expect(confirmation).toContain('认证类别：养老遗属认证');
    expect(confirmation).toContain(`身份证号：${masked.id(GOOD)}`);
  });

  it('keeps asking after several mistakes in a row and still has the category', async () => {
    const f = await atIdStep();
    for (const wrong of ['123', withWrongCheck(GOOD), idNumber('19490230')]) expect(lastLine(await f.say(wrong))).toBe(ID_QUESTION);
    expect(await finish(f, GOOD)).toContain('认证类别：养老遗属认证');
  });
});

describe('the ways an ID number may be typed', () => {
  it.each([
    ['with a lower-case x', '11010519491231002x'],
    ['with spaces', '110105 19491231 002X'],
    ['with hyphens', '110105-19491231-002X'],
    ['in full-width digits', fullWidth('11010519491231002X')],
    ['in full-width digits and a lower-case ｘ', fullWidth('11010519491231002x')],
    ['as speech recognition writes it, with a 。 at the end', '11010519491231002X。'],
    ['with spaces around it', '  11010519491231002X  '],
  ])('accepts it %s and shows it masked in the confirmation', async (_, typed) => {
    const f = await atIdStep();
    const confirmation = await finish(f, typed);
    expect(confirmation).toContain(`身份证号：${masked.id(GOOD)}`);
    expect(confirmation).toContain('认证类别：养老遗属认证');
  });

  it('accepts a number whose check digit is 0 to 9', async () => {
    const id = idNumber('19560708', '123');
    expect(id).toMatch(/^\d{18}$/);
    const f = await atIdStep();
    expect(await finish(f, id)).toContain(`身份证号：${masked.id(id)}`);
  });

  it('accepts an ID number sent as a voice message', async () => {
    const f = await atIdStep();
    expect(await f.voice('11010519491231002X。')).toContain('请发送姓名');
  });
});

describe('numbers spoken as words', () => {
  it('reads an ID number and a phone number that speech recognition wrote in Chinese numerals', async () => {
    const t = await testApp();
    const f = t.follower();
    for (const text of ['认证', '1', '1']) await f.say(text);
    expect(await f.voice('一一零一零五一九四九一二三一零零二叉。')).toContain('请发送姓名');
    await f.voice('王秀英。');
    const confirmation = await f.voice('幺三九一二三四二三四五。');
    expect(confirmation).toContain('身份证号：1101**********002X');
    expect(confirmation).toContain('手机号：139****2345');
    await t.close();
  });
});
