import request from 'supertest';
import { MAX_ANSWER_CHARS, parseIdNumber, parseMobile, parseName } from '../../src/dialogue/person';
import { testApp, type Follower, type TestApp } from '../helpers/app';
import { lastLine, PROMPTS } from '../helpers/certify';

/**
 * One very long message (WeChat carries up to 64 KiB) must cost the server next to nothing: it is
 * refused like any wrong answer, the step is asked again, nothing entered is lost, and every other
 * follower is answered meanwhile. An end-anchored trimming regex once took seconds on such a text.
 * No timing here: a slow parser shows as a test that runs past jest's time limit.
 */

const ID = '11010519491231002X';
const NAME = '王秀英';
const PHONE = '13912342345';
const SPACES = ' '.repeat(60_000);
/** The longest run of 。 (3 bytes each) that still fits a push under WeChat's 64 KiB. */
const STOPS = '。'.repeat(21_000);
/** An answer with a long run inside it: every trimming and splitting pattern sees the whole run. */
const split = (answer: string, run: string, at = 3) => `${answer.slice(0, at)}${run}${answer.slice(at)}`;

describe('the ID, name and phone parsers', () => {
  const parsers = [
    ['parseIdNumber', (s: string) => parseIdNumber(s)],
    ['parseName', parseName],
    ['parseMobile', parseMobile],
  ] as const;

  it.each(parsers.flatMap(([name, parse]) => [
    [name, '60 000 spaces', parse, SPACES],
    [name, '60 000 “。”', parse, '。'.repeat(60_000)],
    [name, '60 000 spaces and a digit', parse, `${SPACES}1`],
    [name, 'a digit, 60 000 spaces and a digit', parse, `1${SPACES}1`],
  ]))('%s refuses %s', (_, __, parse, text) => {
    expect(parse(text).ok).toBe(false);
  });

  it.each([
    ['an ID number', () => parseIdNumber(split(ID, SPACES))],
    ['an ID number', () => parseIdNumber(split(ID, STOPS, 17))],
    ['a name', () => parseName(split(NAME, SPACES, 1))],
    ['a phone number', () => parseMobile(split(PHONE, SPACES))],
  ])('refuses %s with a long run inside it rather than reading it', (_, parse) => {
    expect(parse().ok).toBe(false);
  });

  it('names how many characters an over-long ID number had', () => {
    expect(parseIdNumber(`1${SPACES}1`)).toEqual({ ok: false, reason: 'length', count: 60_002 });
  });

  it(`still reads answers with spaces and end punctuation up to ${MAX_ANSWER_CHARS} characters, and no more`, () => {
    const pad = (s: string, filler: string) => s + filler.repeat(MAX_ANSWER_CHARS - s.length);
    expect(parseIdNumber(pad('1101 0519 4912 3100 2x', ' '))).toEqual({ ok: true, value: ID });
    expect(parseName(pad('王 秀 英', '。'))).toEqual({ ok: true, value: NAME });
    expect(parseMobile(pad('+86 139-1234-2345', '，'))).toEqual({ ok: true, value: PHONE });
    expect(parseIdNumber(`${pad(ID, ' ')} `).ok).toBe(false);
    expect(parseName(`${pad(NAME, '。')}。`).ok).toBe(false);
    expect(parseMobile(`${pad(PHONE, '，')}，`).ok).toBe(false);
  });

  it('still drops the end punctuation speech recognition and people add', () => {
    expect(parseIdNumber(`${ID}。`)).toEqual({ ok: true, value: ID });
    expect(parseName(`${NAME}。 ！`)).toEqual({ ok: true, value: NAME });
    expect(parseMobile(`${PHONE}；，. `)).toEqual({ ok: true, value: PHONE });
  });
});

describe('a very long message through the webhook', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  async function atIdStep(f = t.follower()): Promise<Follower> {
    await f.say('认证');
    await f.say('1');
    expect(lastLine(await f.say('2'))).toBe(PROMPTS.id);
    return f;
  }
  async function atNameStep(): Promise<Follower> {
    const f = await atIdStep();
    expect(lastLine(await f.say(ID))).toBe(PROMPTS.name);
    return f;
  }
  async function atPhoneStep(): Promise<Follower> {
    const f = await atNameStep();
    expect(lastLine(await f.say(NAME))).toBe(PROMPTS.phone);
    return f;
  }
  /** The rest of the path: the confirmation proves that what was entered before the long message is kept. */
  async function confirmation(f: Follower, from: 'id' | 'name' | 'phone'): Promise<string> {
    const rest = { id: [ID, NAME, PHONE], name: [NAME, PHONE], phone: [PHONE] }[from];
    let reply = '';
    for (const answer of rest) reply = await f.say(answer);
    return reply;
  }

  it.each([
    ['60 000 spaces and a digit', `${SPACES}1`],
    ['a digit, 60 000 spaces and a digit', `1${SPACES}1`],
    ['the ID number with 60 000 spaces inside', split(ID, SPACES)],
    ['the ID number with 21 000 “。” inside', split(ID, STOPS, 17)],
  ])('at the ID step: %s gets the length refusal and the question again; nothing is lost', async (_, text) => {
    const f = await atIdStep();
    const reply = await f.say(text);
    expect(reply).toMatch(/太长了|身份证号码应该是18位/);
    expect(lastLine(reply)).toBe(PROMPTS.id);
    expect(await confirmation(f, 'id')).toContain('认证类别：工伤资格认证');
  });

  it.each([
    ['a digit, 60 000 spaces and a digit', `1${SPACES}1`],
    ['the name with 60 000 spaces inside', split(NAME, SPACES, 1)],
  ])('at the name step: %s is not taken as a name; the question comes again', async (_, text) => {
    const f = await atNameStep();
    const reply = await f.say(text);
    expect(reply).toContain('太长了');
    expect(lastLine(reply)).toBe(PROMPTS.name);
    const confirm = await confirmation(f, 'name');
    expect(confirm).toContain('身份证号：1101**********002X');
    expect(confirm).toContain('姓名：王*英');
  });

  it.each([
    ['a digit, 60 000 spaces and a digit', `1${SPACES}1`],
    ['the phone number with 60 000 spaces inside', split(PHONE, SPACES)],
  ])('at the phone step: %s is not taken as a phone number; the question comes again', async (_, text) => {
    const f = await atPhoneStep();
    const reply = await f.say(text);
    expect(reply).toContain('太长了');
    expect(lastLine(reply)).toBe(PROMPTS.phone);
    const confirm = await confirmation(f, 'phone');
    expect(confirm).toContain('姓名：王*英');
    expect(confirm).toContain('手机号：139****2345');
  });

  it.each([
    ['60 000 spaces and a digit', `${SPACES}1`],
    ['a digit, 60 000 spaces and a digit', `1${SPACES}1`],
  ])('outside the dialogue: %s gets a kind answer, and 认证 works right after', async (_, text) => {
    const f = t.follower();
    const reply = await f.say(text);
    expect(reply.length).toBeGreaterThan(0);
    expect(reply).not.toMatch(/error|exception|stack/i);
    expect(await f.say('认证')).toContain('【办理须知】');
  });

  it('answers three followers sending long messages at once, and /healthz, and goes on with each', async () => {
    const followers = [await atIdStep(), await atNameStep(), await atPhoneStep()];
    const long = `1${SPACES}1`;
    const [replies, health] = await Promise.all([
      Promise.all(followers.map((f) => f.say(long))),
      request(t.rt.app.callback()).get('/healthz'),
    ]);
    expect(replies.map(lastLine)).toEqual([PROMPTS.id, PROMPTS.name, PROMPTS.phone]);
    expect(health.status).toBe(200);
    expect(await confirmation(followers[0]!, 'id')).toContain('请核对信息');
    expect(await confirmation(followers[1]!, 'name')).toContain('请核对信息');
    expect(await confirmation(followers[2]!, 'phone')).toContain('请核对信息');
  });
});
