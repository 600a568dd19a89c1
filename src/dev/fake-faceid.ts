import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkTc3 } from './tc3';
import { fakeProviderPage, resultText } from './fake-faceid-page';

/**
 * A stand-in for Tencent Cloud's FaceID (faceid.tencentcloudapi.com) and its WeChat-H5 page, for
 * `npm run chat` and the tests: the API checks the TC3-HMAC-SHA256 signature as the real one does
 * and keeps sessions (DetectAuth → BizToken and Url; GetDetectInfoEnhanced → Text, ErrCode null
 * until finished); the page lets a person (or a test) finish a session with a pass, a chosen
 * failure code, or a pass for somebody else, then sends the browser to RedirectUrl?BizToken=….
 */
export interface FakeFaceIdOptions {
  /** 0 (default): an ephemeral port. */
  readonly port?: number;
  readonly host?: string;
  readonly secretId: string;
  readonly secretKey: string;
  /** When set, DetectAuth with another RuleId is refused. */
  readonly ruleId?: string;
  readonly now?: () => number;
  /** Where DetectAuth's Url points (default: this fake's own page), to test what the client accepts. */
  readonly pageBase?: string;
}

export interface FakeSession {
  readonly bizToken: string;
  readonly ruleId: string;
  readonly idCard: string;
  readonly name: string;
  readonly redirectUrl: string;
  readonly extra: string;
  readonly createdAt: number;
  /** null until the person finishes on the page. */
  result: { errCode: number; idCard: string; name: string } | null;
}

export interface FakeCall {
  readonly action: string;
  /** The body as the client sent it (the personal-data test reads it). */
  readonly raw: string;
  /** The error code answered, or null for a success. */
  readonly refused: string | null;
}

export interface FakeFaceId {
  /** http://host:port — the API's endpoint and the page's origin. */
  readonly url: string;
  readonly calls: readonly FakeCall[];
  readonly sessions: readonly FakeSession[];
  /** Ends a session as the page would: `errCode` 0 passes; `as` names who was checked (default: who DetectAuth named). */
  finish(bizToken: string, errCode: number, as?: { idCard: string; name: string }): void;
  /** The next `times` calls of `action` are answered with this error code. */
  failNext(action: string, code: string, times?: number): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Credentials `npm run chat -- --faceid` plays FaceID with when the environment names none: public,
 * like every development default, and useless against the real API.
 */
export const DEV_FACEID = { secretId: 'AKIDdevelopmentfakefaceid0000', secretKey: 'development-fake-faceid-key', ruleId: '1' } as const;
/** Where `npm run chat -- --faceid` plays FaceID (the server's FACEID_ENDPOINT). */
export const DEV_FACEID_PORT = 3002;

const VERSION = '2018-03-01';
/** A BizToken's flow lives 7 200 s; its result can be fetched for 3 days. */
const FLOW_MS = 7200_000;
const KEPT_MS = 3 * 24 * 3600_000;

export async function startFakeFaceId(opts: FakeFaceIdOptions): Promise<FakeFaceId> {
  const now = opts.now ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  let calls: FakeCall[] = [];
  let sessions = new Map<string, FakeSession>();
  let failures: { action: string; code: string; left: number }[] = [];
  let origin = '';

  const error = (code: string, message: string) => ({ Error: { Code: code, Message: message } });
  const str = (v: unknown) => (typeof v === 'string' ? v : '');

  function api(action: string, p: Record<string, unknown>): object {
    const failure = failures.find((f) => f.action === action && f.left > 0);
    if (failure) {
      failure.left -= 1;
      return error(failure.code, `fake ${failure.code}`);
    }
    if (opts.ruleId !== undefined && p['RuleId'] !== opts.ruleId) return error('InvalidParameterValue.RuleIdNotExist', 'RuleId does not exist');
    switch (action) {
      case 'DetectAuth': {
        const redirectUrl = str(p['RedirectUrl']);
        if (!/^[A-Za-z0-9]{1,32}$/.test(str(p['IdCard'])) || str(p['Name']) === '' || [...str(p['Name'])].length > 32) {
          return error('InvalidParameterValue', 'IdCard and Name are required (IdCard: letters and digits, at most 32)');
        }
        if (redirectUrl.length > 1024 || !/^https?:\/\//.test(redirectUrl) || str(p['Extra']).length > 1024) return error('InvalidParameterValue', 'RedirectUrl or Extra is invalid');
        const bizToken = randomUUID().toUpperCase();
        sessions.set(bizToken, { bizToken, ruleId: str(p['RuleId']), idCard: str(p['IdCard']), name: str(p['Name']), redirectUrl, extra: str(p['Extra']), createdAt: now(), result: null });
        return { BizToken: bizToken, Url: `${opts.pageBase ?? origin}/h5/${bizToken}` };
      }
      case 'GetDetectInfoEnhanced': {
        const s = sessions.get(str(p['BizToken']));
        if (!s) return error('InvalidParameterValue.BizTokenIllegal', 'BizToken is illegal');
        if (now() - s.createdAt > KEPT_MS) return error('InvalidParameterValue.BizTokenExpired', 'BizToken expired');
        if (s.ruleId !== p['RuleId']) return error('InvalidParameterValue.RuleIdNotExist', 'RuleId does not match the BizToken');
        return { Text: resultText(s), IdCardData: null, BestFrame: null, VideoData: null, Encryption: null };
      }
      default:
        return error('InvalidAction', `The action ${action} is not found`);
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const action = String(req.headers['x-tc-action'] ?? '');
    const refusal = checkTc3({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }, opts, now());
    let answer: object;
    if (refusal) answer = error(refusal.code, refusal.message);
    else if (req.headers['x-tc-version'] !== VERSION) answer = error('NoSuchVersion', `The version ${String(req.headers['x-tc-version'])} is not supported`);
    else {
      let params: unknown;
      try {
        params = JSON.parse(body.toString('utf8'));
      } catch {
        params = null;
      }
      answer = params && typeof params === 'object' ? api(action, params as Record<string, unknown>) : error('InvalidParameter', 'The body is not JSON');
    }
    const refused = 'Error' in answer ? (answer as { Error: { Code: string } }).Error.Code : null;
    calls.push({ action, raw: body.toString('utf8'), refused });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Response: { ...answer, RequestId: randomUUID() } }));
  }

  /** The provider's page and its form: GET /h5/<BizToken>, POST /h5/<BizToken>/finish. */
  function handlePage(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const m = /^\/h5\/([0-9A-F-]{36})(\/finish)?$/.exec(new URL(req.url ?? '/', 'http://fake.invalid').pathname);
    const s = m ? sessions.get(m[1]!) : undefined;
    if (!m || !s) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('no such session');
      return;
    }
    if (!m[2] && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end(fakeProviderPage(s));
      return;
    }
    if (m[2] && req.method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      const code = Number(form.get('code') ?? '0');
      if (!s.result) {
        if (now() - s.createdAt > FLOW_MS) finish(s.bizToken, 15);
        else finish(s.bizToken, Number.isInteger(code) ? code : 0, form.get('as') === 'other' ? { idCard: '110101194001010013', name: '张三' } : undefined);
      }
      res.writeHead(303, { location: back(s), 'referrer-policy': 'no-referrer' }).end();
      return;
    }
    res.writeHead(405).end();
  }

  const back = (s: FakeSession) => `${s.redirectUrl}${s.redirectUrl.includes('?') ? '&' : '?'}BizToken=${encodeURIComponent(s.bizToken)}`;

  function finish(bizToken: string, errCode: number, as?: { idCard: string; name: string }): void {
    const s = sessions.get(bizToken);
    if (!s) throw new Error(`no fake FaceID session ${bizToken}`);
    s.result = { errCode, idCard: as?.idCard ?? s.idCard, name: as?.name ?? s.name };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0];
      (req.method === 'POST' && path === '/' ? handleApi(req, res, body) : Promise.resolve(handlePage(req, res, body))).catch(() => res.writeHead(500).end());
    });
  });
  server.listen(opts.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;

  return {
    url: origin,
    get calls() {
      return calls;
    },
    get sessions() {
      return [...sessions.values()];
    },
    finish,
    failNext(action, code, times = 1) {
      failures.push({ action, code, left: times });
    },
    reset() {
      calls = [];
      sessions = new Map();
      failures = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
