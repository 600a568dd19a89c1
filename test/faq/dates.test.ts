import { Clock, testApp, type TestApp } from '../helpers/app';

/**
 * Answers about dates know today: before the window they say "not yet", during it "now, before the
 * end", after it "still possible, and what was stopped is paid back" — never "please certify
 * within this period" for a period that closed in June.
 */

const at = (iso: string) => new Clock(Date.parse(iso));
const WINDOW = { CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30' };
/** The first line of the answer: what matters. */
const firstAnswer = (reply: string) => /^答：(.*)$/m.exec(reply)?.[1];

let t: TestApp;
afterEach(() => t.close());

describe('in December, after the window closed in June', () => {
  beforeEach(async () => {
    t = await testApp({ env: WINDOW, clock: at('2026-12-10T10:00:00+08:00') });
  });

  it('says the window is over but certifying now still matters, and that stopped payments are paid back', async () => {
    const reply = await t.follower().say('认证截止到几号？');
    expect(firstAnswer(reply)).toBe('今年的集中认证已经在6月30日结束了，但现在还能认证，请尽快认证。');
    expect(reply).toContain('从2026年7月起暂停发养老金');
    expect(reply).toContain('补发');
    expect(reply).not.toMatch(/请在.*(?:这段时间内|前)/);
  });

  it('tells a relative whose mother missed it to certify soon, not to wait for a window', async () => {
    const reply = await t.follower().say('过了时间没认证咋办 钱还给补不');
    expect(firstAnswer(reply)).toBe('要尽快认证，停发的钱认证以后会补发，不会白白损失。');
  });

  it('agrees with the dialogue, which certifies now with the note on suspension', async () => {
    expect(await t.follower().say('认证')).toContain('集中认证已于2026年6月30日结束');
  });
});

describe('in February, before the new year\'s window opens', () => {
  beforeEach(async () => {
    // No CERT_WINDOW_* set: the window follows the clock into 2027 by itself.
    t = await testApp({ env: { CERT_WINDOW_START: '', CERT_WINDOW_END: '' }, clock: at('2027-02-10T10:00:00+08:00') });
  });

  it('says it has not started yet and gives the new year\'s dates', async () => {
    const reply = await t.follower().say('今年认证啥时候开始');
    expect(firstAnswer(reply)).toBe('今年的认证还没开始，现在不用着急。');
    expect(reply).toContain('2027年集中认证时间：3月11日到6月30日');
  });

  it('explains 未到认证周期 by today, not by the notice', async () => {
    expect(firstAnswer(await t.follower().say('提示未到认证周期咋整'))).toBe('现在还没到今年的认证时间，所以提示“未到认证周期”，不是停发了。');
  });
});

describe('during the window', () => {
  it('says certify now, before the end date', async () => {
    t = await testApp({ env: WINDOW, clock: at('2026-04-15T10:00:00+08:00') });
    expect(firstAnswer(await t.follower().say('认证截止到几号'))).toBe('现在就可以认证，请在6月30日前认证完。');
  });

  it('changes its answer in the same process when the window closes (China date, just after midnight)', async () => {
    const clock = at('2026-06-30T23:50:00+08:00');
    t = await testApp({ env: WINDOW, clock });
    const f = t.follower();
    expect(firstAnswer(await f.say('认证截止到几号'))).toBe('现在就可以认证，请在6月30日前认证完。');
    clock.ms = Date.parse('2026-07-01T00:10:00+08:00');
    expect(firstAnswer(await f.say('认证截止到几号'))).toBe('今年的集中认证已经在6月30日结束了，但现在还能认证，请尽快认证。');
  });
});
