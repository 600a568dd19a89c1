import path from 'node:path';
import { listTopics, loadKnowledgeBase } from '../../src/faq';
import { TEMPLATES_DIR } from '../../src/paths';
import { CUT_MARK } from '../../src/wechat/reply';
import { testApp, type Follower, type TestApp } from '../helpers/app';
import { signedImage } from '../helpers/push';
import { complete, lastLine, linkIn, person } from '../helpers/certify';

/**
 * WeChat refuses a passive reply over 2048 bytes, and an old person needs to be told at the end of
 * every message what to send next. The reply XML cuts an over-long text to the cap (ending with
 * CUT_MARK) rather than have WeChat drop it, so a reply read back always fits: what the follower
 * must get is the whole message, not one cut short.
 */

const LIMIT = 2048;
const SAYS_WHAT_NEXT = /回复|发送|输入|打字|说话|点开/;

let t: TestApp;
afterEach(() => t.close());

/** The reply arrived whole: within WeChat's cap and not cut to fit it. */
const whole = (reply: string) => Buffer.byteLength(reply, 'utf8') <= LIMIT && !reply.endsWith(CUT_MARK);

function expectWellShaped(replies: readonly { sent: string; reply: string }[]) {
  for (const { sent, reply } of replies) {
    expect({ sent, whole: whole(reply) }).toEqual({ sent, whole: true });
    expect({ sent, lastLine: SAYS_WHAT_NEXT.test(lastLine(reply)) }).toEqual({ sent, lastLine: true });
  }
}

/** Sends each input and keeps what was sent with what came back. */
async function converse(f: Follower, inputs: readonly (string | (() => Promise<string>))[]) {
  const out: { sent: string; reply: string }[] = [];
  for (const input of inputs) {
    const reply = typeof input === 'string' ? await f.say(input) : await input();
    out.push({ sent: String(input), reply });
  }
  return out;
}

it('keeps every reply of a certification with every detour under 2048 bytes, ending with what to send next', async () => {
  t = await testApp();
  const f = t.follower();
  const p = person();
  const seconds = Math.floor(t.clock.ms / 1000);
  const image = () => f.read(signedImage(f.openid, { timestampSeconds: seconds, createTime: seconds, msgId: `${seconds}999` }));
  const replies = await converse(f, [
    () => f.event('subscribe'), '你好', '帮助', '1', '退出', '认证', '2', '返回', '1', '6', '工伤', '1',
    '123', '11010519491231002Y', p.id.slice(0, 6) + '19490230' + '0010', p.id, '王', 'Wang', '在外地能认证吗', '需要本人吗',
    () => f.voice(undefined), image, () => f.tap('CERT_NOTICE'), () => f.tap('HELP_PHONES'), () => f.tap('FAQ_TOPICS'), '帮助',
    p.name, '返回', p.name, '1391234', p.phone, '3', '认证', '1',
  ]);
  const { token } = linkIn(replies[replies.length - 1]!.reply);
  replies.push(...(await converse(f, ['你好', '认证', '退出', '退出'])));
  expectWellShaped(replies);

  // The customer-service messages, failure and success, fit too.
  await complete(t, token, { result: 'fail' });
  const retry = await converse(f, ['认证', '1', p.id, p.name, p.phone, '1']);
  expectWellShaped(retry);
  await complete(t, linkIn(retry[retry.length - 1]!.reply).token, { result: 'pass' });
  expect(t.notifier.sent).toHaveLength(2);
  for (const m of t.notifier.sent) expect(Buffer.byteLength(m.text, 'utf8')).toBeLessThanOrEqual(LIMIT);
});

it('keeps the replies around the window and the cycle under 2048 bytes, ending with what to send next', async () => {
  t = await testApp({ env: { CERT_WINDOW_START: '2026-05-01', CERT_WINDOW_END: '2026-06-30' } });
  expectWellShaped(await converse(t.follower(), ['认证']));
  await t.close();

  t = await testApp({ env: { CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-04-10', DIALOGUE_IDLE_MINUTES: '30' } });
  const p = person();
  const f = t.follower();
  const first = await converse(f, ['认证', '1', '1', p.id, p.name, p.phone, '1']);
  await complete(t, linkIn(first[first.length - 1]!.reply).token);
  const later = await converse(f, ['1', '1', p.id, '1', '2']);
  t.clock.advance(31 * 60_000);
  later.push(...(await converse(f, ['13912342345'])));
  expect(later.map((r) => r.reply).join('\n')).toContain('本认证周期已认证');
  expect(later[later.length - 1]!.reply).toContain('已经自动结束');
  expectWellShaped([...first, ...later]);
});

describe('every FAQ answer asked in the middle of the dialogue', () => {
  const topics = () => listTopics(loadKnowledgeBase(path.join(TEMPLATES_DIR, 'faq'), t.rt.content.vars));

  it.each([
    ['category', ['1'], '领养老金的退休人员请选 1。请回复数字 1 到 5。'],
    ['confirm', ['1', '1', '11010519491231002X', '王秀英', '13912342345'], '请回复 1 或 2。'],
  ] as const)('fits under 2048 bytes together with the %s question asked again', async (_, answers, question) => {
    t = await testApp();
    const f = t.follower();
    await converse(f, ['认证', ...answers]);
    const list = topics();
    expect(list.length).toBeGreaterThan(10);
    let answered = 0;
    for (const topic of list) {
      const reply = await f.say(topic.question);
      if (reply.includes('答：')) answered += 1;
      expect({ topic: topic.id, whole: whole(reply) }).toEqual({ topic: topic.id, whole: true });
      expect({ topic: topic.id, last: lastLine(reply) }).toEqual({ topic: topic.id, last: question });
    }
    expect(answered).toBeGreaterThan(list.length / 2);
  });
});
