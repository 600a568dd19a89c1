import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { createHttpServer, startListeners, type Listeners, type ServerTimeouts } from '../../src/http/server';
import { Clock, testApp, type TestApp } from '../helpers/app';
import { signedText } from '../helpers/push';
import { freePort } from '../helpers/redis-server';

/**
 * The real listeners main.ts starts, on loopback ports: what a client on the network meets.
 * Slow clients are played over raw sockets, a byte at a time, bounded in count.
 */
let t: TestApp | undefined;
let listening: Listeners | undefined;
const lines: string[] = [];
afterEach(async () => {
  for (const s of [listening?.server, listening?.metricsServer]) {
    s?.closeAllConnections();
    s?.close();
  }
  listening = undefined;
  await t?.close();
  t = undefined;
  lines.length = 0;
});

async function start(env: Record<string, string>, timeouts: Partial<ServerTimeouts> = {}): Promise<{ port: number }> {
  const port = await freePort();
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  t = await testApp({ clock: new Clock(Date.now()), env: { PORT: String(port), METRICS_PORT: '0', ...env }, overrides: { logger: createLogger('info', sink) } });
  listening = await startListeners(t.rt, timeouts);
  return { port };
}

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, text: await res.text() };
};

/**
 * Opens a raw connection, writes `head`, then trickles `tail` one byte every 20 ms, never writing
 * its last byte. Resolves when the server closes the connection, with what it answered and how
 * many bytes of the tail had gone out by then.
 */
async function trickle(port: number, head: string, tail: Buffer): Promise<{ answer: string; sent: number }> {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // a write racing the server's close
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  const closed = once(socket, 'close');
  socket.write(head);
  let sent = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && sent < tail.length - 1) socket.write(tail.subarray(sent, ++sent));
  }, 20);
  try {
    await closed;
  } finally {
    clearInterval(timer);
    socket.destroy();
  }
  return { answer, sent };
}

describe('the public listener', () => {
  it('binds loopback outside production and serves no metrics', async () => {
    const { port } = await start({});
    expect((listening!.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect((await get(port, '/healthz')).status).toBe(200);
    for (const path of ['/metrics', '/METRICS', '/metrics/']) expect((await get(port, path)).status).toBe(404);
  });

  it('closes a push whose body trickles in past PUSH_READ_TIMEOUT_MS, while the client is still sending, and changes nothing', async () => {
    const { port } = await start({ PUSH_READ_TIMEOUT_MS: '200' });
    const push = signedText('opn_trickle', '认证', { timestampSeconds: Math.floor(t!.clock.ms / 1000) });
    const body = Buffer.from(push.body);
    const head = `POST /wechat?${new URLSearchParams(push.query)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { answer, sent } = await trickle(port, head, body);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('body_timeout');
    expect(sent).toBeLessThan(body.length - 1); // a steady trickle does not keep the request alive
    expect(await t!.store.get(t!.rt.layout.follower('opn_trickle').state.key)).toBeNull();
    // The listener is none the worse: the same follower's next push is answered.
    const again = signedText('opn_trickle', '帮助', { timestampSeconds: Math.floor(t!.clock.ms / 1000) });
    const res = await fetch(`http://127.0.0.1:${port}/wechat?${new URLSearchParams(again.query)}`, { method: 'POST', body: again.body, headers: { 'content-type': 'text/xml' } });
    expect(res.status).toBe(200);
  }, 15_000);

  it('reads a body that arrived while the event loop was stalled past the deadline, rather than refuse it', async () => {
    const { port } = await start({ PUSH_READ_TIMEOUT_MS: '100' });
    const push = signedText('opn_stall', '帮助', { timestampSeconds: Math.floor(t!.clock.ms / 1000) });
    const body = Buffer.from(push.body);
    const socket: Socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    // Once the server has the headers, its handler has started reading, the deadline set.
    const started = once(listening!.server, 'request');
    socket.write(`POST /wechat?${new URLSearchParams(push.query)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    await started;
    socket.write(body);
    // A stall of the whole process (as a long GC would be) outlasting the deadline, the body already
    // sent. It ends in the check phase, so the next turn of the event loop runs timers before reads.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        const until = Date.now() + 300;
        while (Date.now() < until);
        resolve();
      }),
    );
    await once(socket, 'close');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(await t!.store.get(t!.rt.layout.follower('opn_stall').state.key)).not.toBeNull();
  });

  it('closes a connection whose headers trickle in past the headers timeout', async () => {
    const { port } = await start({}, { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 50 });
    const { answer, sent } = await trickle(port, 'POST /wechat HTTP/1.1\r\nHost: 127.0.0.1\r\n', Buffer.from(`X-Slow: ${'a'.repeat(400)}\r\n\r\n`));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(400);
  }, 15_000);

  it('keeps Node from holding slow requests for a minute: headers within 10 s, the whole request within 15 s', () => {
    const server = createHttpServer(() => undefined);
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(15_000);
  });
});

describe('the metrics listener', () => {
  it('serves /metrics on METRICS_PORT, on loopback by default, and nothing else', async () => {
    const metricsPort = await freePort();
    const { port } = await start({ METRICS_PORT: String(metricsPort) });
    expect((listening!.metricsServer!.address() as AddressInfo).address).toBe('127.0.0.1');
    await t!.follower().say('帮助');
    const scraped = await get(metricsPort, '/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.text).toMatch(/wechat_pushes_total\{type="text"\} 1/);
    expect((await get(metricsPort, '/healthz')).status).toBe(404);
    expect((await get(port, '/metrics')).status).toBe(404);
  });

  it('that cannot bind is logged, and pushes are served without it', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = await start({ METRICS_PORT: String((busy.address() as AddressInfo).port) });
      expect(listening!.metricsServer).toBeNull();
      expect(lines.join('')).toMatch(/"level":"error".*metrics listener could not start/);
      expect((await get(port, '/healthz')).status).toBe(200);
    } finally {
      busy.close();
    }
  });
});
