import request from 'supertest';
import { compose, type Overrides, type Runtime } from '../../src/compose';
import type { Notifier, NotifyOutcome, TemplateMessageBody } from '../../src/notify';
import { createMemoryStore, type Store } from '../../src/store';
import { testConfig } from './config';
import { openTestReply, signedEvent, signedText, signedVoice, signedXml, type TestPushOptions } from './push';

/** Records every customer-service (and template) message instead of calling WeChat. */
export class RecordingNotifier implements Notifier {
  readonly sent: { openid: string; text: string }[] = [];
  readonly templates: { openid: string; message: TemplateMessageBody }[] = [];
  outcome: NotifyOutcome = 'sent';
  async sendText(openid: string, text: string): Promise<NotifyOutcome> {
    this.sent.push({ openid, text });
    return this.outcome;
  }
  async sendTemplate(openid: string, message: TemplateMessageBody): Promise<NotifyOutcome> {
    this.templates.push({ openid, message });
    return this.outcome;
  }
}

/** A settable clock: tests move time instead of sleeping. */
export class Clock {
  constructor(public ms: number = Date.parse('2026-04-15T10:00:00+08:00')) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface TestApp {
  readonly rt: Runtime;
  readonly store: Store;
  readonly notifier: RecordingNotifier;
  readonly clock: Clock;
  follower(openid?: string): Follower;
  close(): Promise<void>;
}

let seq = 0;

/** The real app on the memory store (or a given one), a recording notifier and a settable clock. */
export async function testApp(opts: { env?: Record<string, string>; store?: Store; clock?: Clock; overrides?: Overrides } = {}): Promise<TestApp> {
  const clock = opts.clock ?? new Clock();
  const store = opts.store ?? createMemoryStore({ now: clock.now });
  const notifier = new RecordingNotifier();
  const config = testConfig({ CERT_WINDOW_START: '2026-03-11', CERT_WINDOW_END: '2026-06-30', ...opts.env }, new Date(clock.ms));
  const rt = await compose(config, { store, notifier, now: clock.now, ...opts.overrides });
  return {
    rt,
    store,
    notifier,
    clock,
    follower: (openid = `opn_${process.pid}_${++seq}`) => new Follower(rt, openid, clock),
    close: () => rt.close(),
  };
}

/**
 * A follower on a phone: sends signed pushes as WeChat does and reads the reply's Content. To an
 * app that refuses plaintext (an EncodingAESKey and no WECHAT_ALLOW_PLAINTEXT) the pushes come in
 * safe mode, as WeChat would send them; otherwise in plaintext unless a push says otherwise.
 */
export class Follower {
  private msg = 0;
  constructor(readonly rt: Runtime, readonly openid: string, readonly clock: Clock) {}

  private opts(extra: TestPushOptions = {}): TestPushOptions {
    const seconds = Math.floor(this.clock.ms / 1000);
    const { aesKeys, allowPlaintext } = this.rt.config.wechat;
    const mode = aesKeys.length > 0 && !allowPlaintext ? 'safe' : 'plain';
    return { mode, timestampSeconds: seconds, createTime: seconds, msgId: `${seconds}${++this.msg}${Math.floor(Math.random() * 1e6)}`, ...extra };
  }

  async post(push: { query: Record<string, string>; body: string }) {
    return request(this.rt.app.callback()).post('/wechat').query(push.query).type('text/xml').send(push.body);
  }

  /** The reply's text, or '' for `success`. */
  async read(push: { query: Record<string, string>; body: string }): Promise<string> {
    const res = await this.post(push);
    if (res.status !== 200) throw new Error(`push answered ${res.status}: ${res.text}`);
    const fields = await openTestReply(res.text);
    return fields.Content ?? '';
  }

  say(text: string, extra?: TestPushOptions) {
    return this.read(signedText(this.openid, text, this.opts(extra)));
  }
  voice(recognition: string | undefined, extra?: TestPushOptions) {
    return this.read(signedVoice(this.openid, recognition, this.opts(extra)));
  }
  tap(key: string, extra?: TestPushOptions) {
    return this.read(signedEvent(this.openid, 'CLICK', key, this.opts(extra)));
  }
  event(event: string, key?: string, extra?: TestPushOptions) {
    return this.read(signedEvent(this.openid, event, key, this.opts(extra)));
  }
  xml(xml: string, extra?: TestPushOptions) {
    return this.read(signedXml(this.openid, xml, this.opts(extra)));
  }
}
