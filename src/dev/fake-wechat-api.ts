import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for api.weixin.qq.com, small enough to read: token endpoints with expiry, customer
 * service, template and menu endpoints that record what they received, and knobs to answer chosen
 * errcodes (or 43004 for a follower who left).
 * The tests share it, and `npm run chat` runs it so a local server has a WeChat API to talk to.
 */
export interface FakeWechatApiOptions {
  /** 0 (default): an ephemeral port. */
  readonly port?: number;
  readonly host?: string;
  /** When set, token requests with other credentials get 40013 / 40125. */
  readonly appId?: string;
  readonly appSecret?: string;
  /** Lifetime of an issued token (default 7200). */
  readonly expiresInSec?: number;
  readonly now?: () => number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Without the query, e.g. `/cgi-bin/menu/create`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The body as sent ('' for none). */
  readonly raw: string;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  readonly body: unknown;
}

export interface CustomMessage {
  readonly touser: string;
  readonly content: string;
}

/** A template message as `message/template/send` took it: each field's value. */
export interface TemplateMessage {
  readonly touser: string;
  readonly templateId: string;
  readonly url?: string;
  readonly data: Readonly<Record<string, string>>;
  readonly clientMsgId?: string;
}

/** Since 2023-05-04 WeChat takes at most this many characters in a template field, and no line break. */
export const TEMPLATE_FIELD_MAX_CHARS = 20;

export interface FakeWechatApi {
  readonly url: string;
  readonly port: number;
  /** Every request, in order of arrival. */
  readonly requests: readonly RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  /** Requests to `/cgi-bin/stable_token` and `/cgi-bin/token`. */
  tokenFetches(): number;
  /** Text messages accepted by `message/custom/send`. */
  readonly customMessages: readonly CustomMessage[];
  /** Template messages accepted by `message/template/send`. */
  readonly templateMessages: readonly TemplateMessage[];
  /** Calls that were being answered at once, at most, per path (one sender at a time shows as 1). */
  maxInFlight(path: string): number;
  /** Messages to this openid now get 43004, as after the follower unfollowed the account. */
  unfollow(openid: string): void;
  /** The published menu, or null. */
  menu(): unknown;
  /** Called for each accepted customer-service text (the chat simulator prints them). */
  onCustomMessage(listener: (m: CustomMessage) => void): void;
  /** Every issued token stops working now: calls get 42001, as WeChat does after expiry. */
  expireTokens(): void;
  /** Every issued token is void: calls get 40001, as after another party fetched a new one. */
  invalidateTokens(): void;
  /** The next `times` requests to `path` are answered with `errcode` (after being recorded). */
  failNext(path: string, errcode: number, times?: number, errmsg?: string): void;
  /** Wait this long before answering any request (a slow WeChat, for timeouts). */
  setDelay(ms: number): void;
  /** Forget requests, tokens, menu and knobs. */
  reset(): void;
  close(): Promise<void>;
}

const TOKEN_PATHS = new Set(['/cgi-bin/stable_token', '/cgi-bin/token']);
const STABLE_RENEW_MS = 5 * 60_000;

export async function startFakeWechatApi(opts: FakeWechatApiOptions = {}): Promise<FakeWechatApi> {
  const now = opts.now ?? Date.now;
  const lifetimeMs = (opts.expiresInSec ?? 7200) * 1000;
  let requests: RecordedRequest[] = [];
  let messages: CustomMessage[] = [];
  let templates: TemplateMessage[] = [];
  let unfollowed = new Set<string>();
  let inFlight = new Map<string, { now: number; max: number }>();
  const seenClientMsgIds = new Set<string>();
  let menu: unknown = null;
  let delayMs = 0;
  /** token → its expiry, and whether it was voided early (40001). */
  let tokens = new Map<string, { expiresAt: number; void: boolean }>();
  let stable: string | null = null;
  let failures: { path: string; errcode: number; errmsg: string; left: number }[] = [];
  const listeners: ((m: CustomMessage) => void)[] = [];

  const issue = (): { access_token: string; expires_in: number } => {
    for (const t of tokens.values()) t.void = true;
    const token = `FAKE_${randomBytes(12).toString('hex')}`;
    tokens.set(token, { expiresAt: now() + lifetimeMs, void: false });
    return { access_token: token, expires_in: Math.round(lifetimeMs / 1000) };
  };
  const answerFor = (token: string) => {
    const t = tokens.get(token)!;
    return { access_token: token, expires_in: Math.max(0, Math.floor((t.expiresAt - now()) / 1000)) };
  };

  function credentialsError(appid: unknown, secret: unknown): object | null {
    if (opts.appId !== undefined && appid !== opts.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (opts.appSecret !== undefined && secret !== opts.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    return null;
  }

  function tokenEndpoint(req: RecordedRequest): object {
    if (req.path === '/cgi-bin/token') {
      return credentialsError(req.query['appid'], req.query['secret']) ?? issue();
    }
    const b = (req.body ?? {}) as Record<string, unknown>;
    const bad = credentialsError(b['appid'], b['secret']);
    if (bad) return bad;
    const current = stable !== null ? tokens.get(stable) : undefined;
    // Like WeChat: the same token until its last five minutes, or a new one when forced.
    if (b['force_refresh'] !== true && stable !== null && current && !current.void && current.expiresAt - now() > STABLE_RENEW_MS) {
      return answerFor(stable);
    }
    const fresh = issue();
    stable = fresh.access_token;
    return fresh;
  }

  function authorised(req: RecordedRequest): object | null {
    const t = tokens.get(req.query['access_token'] ?? '');
    if (!t) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (t.expiresAt <= now()) return { errcode: 42001, errmsg: 'access_token expired' };
    if (t.void) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    return null;
  }

  function route(req: RecordedRequest): object {
    const failure = failures.find((f) => f.path === req.path && f.left > 0);
    if (failure) {
      failure.left -= 1;
      return { errcode: failure.errcode, errmsg: failure.errmsg };
    }
    if (TOKEN_PATHS.has(req.path)) return tokenEndpoint(req);
    const denied = authorised(req);
    if (denied) return denied;
    switch (req.path) {
      case '/cgi-bin/message/template/send':
        return templateSend(req.body);
      case '/cgi-bin/message/custom/send': {
        const b = req.body as { touser?: unknown; msgtype?: unknown; text?: { content?: unknown } } | undefined;
        if (typeof b?.touser !== 'string' || b.touser === '') return { errcode: 40003, errmsg: 'invalid openid' };
        if (unfollowed.has(b.touser)) return { errcode: 43004, errmsg: 'require subscribe' };
        if (b.msgtype !== 'text' || typeof b.text?.content !== 'string') return { errcode: 40008, errmsg: 'invalid message type' };
        const m = { touser: b.touser, content: b.text.content };
        messages.push(m);
        for (const l of listeners) l(m);
        return { errcode: 0, errmsg: 'ok' };
      }
      case '/cgi-bin/menu/create':
        if (!Array.isArray((req.body as { button?: unknown } | undefined)?.button)) return { errcode: 40016, errmsg: 'invalid button size' };
        menu = req.body;
        return { errcode: 0, errmsg: 'ok' };
      case '/cgi-bin/menu/get':
        return menu === null ? { errcode: 46003, errmsg: 'menu no exist' } : { menu };
      case '/cgi-bin/menu/delete':
        menu = null;
        return { errcode: 0, errmsg: 'ok' };
      default:
        return { errcode: 48001, errmsg: 'api unauthorized' };
    }
  }

  /** As WeChat answers: a field over 20 characters or with a line break is refused (47003). */
  function templateSend(body: unknown): object {
    const b = body as { touser?: unknown; template_id?: unknown; url?: unknown; data?: unknown; client_msg_id?: unknown } | undefined;
    if (typeof b?.touser !== 'string' || b.touser === '') return { errcode: 40003, errmsg: 'invalid openid' };
    if (typeof b.template_id !== 'string' || b.template_id === '') return { errcode: 40037, errmsg: 'invalid template_id' };
    if (unfollowed.has(b.touser)) return { errcode: 43004, errmsg: 'require subscribe' };
    if (b.data === null || typeof b.data !== 'object') return { errcode: 47001, errmsg: 'data format error' };
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(b.data as Record<string, unknown>)) {
      const value = (v as { value?: unknown } | null)?.value;
      if (typeof value !== 'string') return { errcode: 47001, errmsg: `data format error: ${k}` };
      if ([...value].length > TEMPLATE_FIELD_MAX_CHARS || /[\r\n]/.test(value)) return { errcode: 47003, errmsg: `argument invalid! data.${k}.value invalid` };
      data[k] = value;
    }
    const clientMsgId = typeof b.client_msg_id === 'string' ? b.client_msg_id : undefined;
    const msgid = 1_000_000 + templates.length;
    // Like WeChat: the same client_msg_id to the same follower is sent once.
    if (clientMsgId !== undefined && seenClientMsgIds.has(`${b.touser}|${clientMsgId}`)) return { errcode: 0, errmsg: 'ok', msgid };
    if (clientMsgId !== undefined) seenClientMsgIds.add(`${b.touser}|${clientMsgId}`);
    templates.push({
      touser: b.touser, templateId: b.template_id, data,
      ...(typeof b.url === 'string' ? { url: b.url } : {}), ...(clientMsgId !== undefined ? { clientMsgId } : {}),
    });
    return { errcode: 0, errmsg: 'ok', msgid };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // From the request's first byte to its answer's last: two senders overlapping show as 2.
    const flightPath = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    const flight = inFlight.get(flightPath) ?? { now: 0, max: 0 };
    inFlight.set(flightPath, flight);
    flight.now += 1;
    flight.max = Math.max(flight.max, flight.now);
    res.once('close', () => (flight.now -= 1));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), raw, body };
    requests.push(recorded);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const answer = raw !== '' && body === undefined ? { errcode: 47001, errmsg: 'data format error' } : route(recorded);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });
  server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    get requests() {
      return requests;
    },
    requestsTo: (path) => requests.filter((r) => r.path === path),
    tokenFetches: () => requests.filter((r) => TOKEN_PATHS.has(r.path)).length,
    get customMessages() {
      return messages;
    },
    get templateMessages() {
      return templates;
    },
    maxInFlight: (path) => inFlight.get(path)?.max ?? 0,
    unfollow: (openid) => void unfollowed.add(openid),
    menu: () => menu,
    onCustomMessage: (l) => void listeners.push(l),
    expireTokens() {
      for (const t of tokens.values()) t.expiresAt = Math.min(t.expiresAt, now());
    },
    invalidateTokens() {
      for (const t of tokens.values()) t.void = true;
    },
    failNext(path, errcode, times = 1, errmsg = `fake errcode ${errcode}`) {
      failures.push({ path, errcode, errmsg, left: times });
    },
    setDelay(ms) {
      delayMs = ms;
    },
    reset() {
      requests = [];
      messages = [];
      templates = [];
      unfollowed = new Set();
      inFlight = new Map();
      seenClientMsgIds.clear();
      menu = null;
      delayMs = 0;
      tokens = new Map();
      stable = null;
      failures = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
