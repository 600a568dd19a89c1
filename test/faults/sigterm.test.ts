import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { layout } from '../../src/store/layout';
import { testConfig } from '../helpers/config';
import { openTestReply, signedText, TEST_APP_ID, TEST_TOKEN } from '../helpers/push';
import { describeWithRedisServer, freePort, RedisServer } from '../helpers/redis-server';
import { KEY_PREFIX, PROMPT, post, rawGet, sleep } from './fixtures';

/**
 * SIGTERM while pushes are coming in (a deploy, a scale-down). The built server (dist/src/main.js)
 * runs as its own process on a redis-server of ours. Every push the server took in is answered
 * with a 200 and real reply XML, and its reply and state are saved; a push that arrives after the
 * listener closed is refused at the connection, untouched, so WeChat's retry goes to another
 * instance and is handled there in full. Nothing is left half-done, and the process exits 0.
 */
const ROOT = path.resolve(__dirname, '../..');

interface Sent {
  readonly openid: string;
  readonly text: string;
  readonly deliveryKey: string;
  status?: number;
  content?: string;
  error?: string;
  answeredAt?: number;
}


function waitReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  const probe = (): Promise<void> =>
    new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    }).then(async (status) => {
      if (status === 200) return;
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} at start`);
      if (Date.now() > deadline) throw new Error('the server did not become ready');
      await sleep(100);
      return probe();
    });
  return probe();
}

describeWithRedisServer('SIGTERM during load', () => {
  let server: RedisServer;

  beforeAll(async () => {
    // The test runs what production runs: the compiled server, not ts-jest's transpilation.
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    server = await RedisServer.launch();
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('answers every push in flight, loses none, and exits 0', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const year = new Date().getUTCFullYear();
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'warn',
        REDIS_URL: server.url,
        WECHAT_TOKEN: TEST_TOKEN,
        WECHAT_APP_ID: TEST_APP_ID,
        WECHAT_APP_SECRET: 'test-secret',
        WECHAT_API_BASE: 'http://127.0.0.1:9',
        ID_HASH_SECRET: 'test-id-hash-secret-0123456789',
        CERT_WINDOW_START: `${year}-01-01`,
        CERT_WINDOW_END: `${year}-12-31`,
        SHUTDOWN_TIMEOUT_MS: '8000',
      },
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await waitReady(port, child);
      // The built server keeps metrics off the public listener, on a listener of their own.
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toContain('wechat_pushes_total');

      // The child's keys, computed with the same secret: names are keyed hashes, not openids.
      const keysOf = layout(testConfig({ ID_HASH_SECRET: 'test-id-hash-secret-0123456789' }));
      const sent: Sent[] = [];
      let seq = 0;
      const push = (openid: string, text: string) => {
        const now = Math.floor(Date.now() / 1000);
        const msgId = `${now}${String(++seq).padStart(6, '0')}`;
        const p = signedText(openid, text, { msgId, createTime: now, timestampSeconds: now });
        const record: Sent = { openid, text, deliveryKey: KEY_PREFIX + keysOf.follower(openid).delivery(`m:${msgId}:${now}:text`) };
        sent.push(record);
        return { p, record };
      };
      const settle = async (record: Sent, reply: Promise<{ status: number; body: string }>) => {
        try {
          const res = await reply;
          record.status = res.status;
          record.answeredAt = Date.now();
          record.content = res.status === 200 ? ((await openTestReply(res.body)).Content ?? '') : res.body;
        } catch (err) {
          record.error = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        }
      };

      // Eight followers on keep-alive connections, each walking the dialogue and round again; bounded in count and time.
      let stopLoad = false;
      const agents: Agent[] = [];
      const loops = Array.from({ length: 8 }, async (_, i) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        agents.push(agent);
        const script = ['认证', '1', '1', '每年认证几次', '退出'];
        for (let n = 0; n < 300 && !stopLoad; n++) {
          const { p, record } = push(`opn_term_${i}`, script[n % script.length]!);
          await settle(record, post(port, agent, p));
          if (record.error) break;
        }
      });
      // Four pushes whose bodies are still arriving when SIGTERM comes.
      let releaseSlow!: () => void;
      const slowGate = new Promise<void>((r) => (releaseSlow = r));
      const slow = Array.from({ length: 4 }, (_, i) => {
        const { p, record } = push(`opn_slow_${i}`, '认证');
        return settle(record, post(port, false, p, slowGate));
      });

      await sleep(400);
      const termAt = Date.now();
      child.kill('SIGTERM');
      setTimeout(releaseSlow, 300);
      const stopTimer = setTimeout(() => (stopLoad = true), 5000);
      await Promise.all([...loops, ...slow]);
      clearTimeout(stopTimer);

      // The process must exit on its own, with keep-alive connections of the clients still open.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<[null, 'no exit']>((resolve) => (timer = setTimeout(() => resolve([null, 'no exit']), 12_000)));
      const [code, signal] = await Promise.race([exited, gaveUp]);
      clearTimeout(timer);
      agents.forEach((a) => a.destroy());
      // LOG_LEVEL=warn: a clean stop writes nothing ("shutdown timed out" would be an error line).
      expect({ code, signal, output }).toEqual({ code: 0, signal: null, output: '' });

      const answered = sent.filter((s) => s.status !== undefined);
      const refused = sent.filter((s) => s.error !== undefined);
      expect(answered.length + refused.length).toBe(sent.length);
      expect(answered.length).toBeGreaterThan(20);
      // The slow pushes were in flight at SIGTERM and were answered after it.
      for (const s of sent.filter((x) => x.openid.startsWith('opn_slow_'))) {
        expect(s.status).toBe(200);
        expect(s.content).toContain(PROMPT.notice);
        expect(s.answeredAt).toBeGreaterThan(termAt);
      }

      await server.start();
      for (const s of answered) {
        expect(s.status).toBe(200);
        expect(s.content).not.toContain(PROMPT.busy);
        expect(s.content!.length).toBeGreaterThan(0);
        // Saved: a WeChat retry of this push would get the same reply from any instance.
        expect(JSON.parse((await rawGet(server, s.deliveryKey))!)).toEqual({ kind: 'text', content: s.content });
      }
      for (const s of refused) {
        expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'socket hang up']).toContain(s.error);
        // Never half-done: not taken at all, or taken in full (a retry then gets the saved reply).
        const raw = await rawGet(server, s.deliveryKey);
        expect(raw === null || (JSON.parse(raw) as { kind: string }).kind === 'text').toBe(true);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 45_000);
});
