import { Writable } from 'node:stream';
import request from 'supertest';
import { metricsListener } from '../../src/http/metrics-app';
import { createLogger, scrub } from '../../src/log';
import { createRedisStore } from '../../src/store';
import { Clock, testApp } from '../helpers/app';
import { openReply, signedText, TEST_TOKEN } from '../helpers/push';

describe('health, readiness and metrics', () => {
  it('says the process is up and the store reachable', async () => {
    const t = await testApp();
    const api = request(t.rt.app.callback());
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).body).toEqual({ ready: true });
    await t.close();
  });

  it('counts pushes by type and exposes a latency histogram', async () => {
    const clock = new Clock(Date.now());
    const t = await testApp({ clock });
    await t.follower().say('帮助');
    const text = (await request(metricsListener(t.rt.metrics)).get('/metrics')).text;
    expect(text).toMatch(/wechat_pushes_total\{type="text"\} 1/);
    expect(text).toMatch(/wechat_replies_total\{kind="text"\} 1/);
    expect(text).toContain('wechat_push_duration_seconds_bucket');
    await t.close();
  });

  it('serves only GET /metrics on the metrics listener', async () => {
    const t = await testApp();
    const metrics = request(metricsListener(t.rt.metrics));
    expect((await metrics.get('/metrics?x=1')).status).toBe(200);
    for (const path of ['/METRICS', '/metrics/', '/healthz', '/wechat', '/']) expect((await metrics.get(path)).status).toBe(404);
    expect((await metrics.post('/metrics')).status).toBe(405);
    await t.close();
  });

  it('turns not-ready while shutting down, so a load balancer drains the instance', async () => {
    const t = await testApp();
    t.rt.beginShutdown();
    expect((await request(t.rt.app.callback()).get('/readyz')).status).toBe(503);
    await t.close();
  });
});

describe('when Redis is down', () => {
  it('answers every push with a short 系统繁忙 text, fast, and readyz says not ready', async () => {
    const store = createRedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: 't:' });
    const clock = new Clock(Date.now());
    const t = await testApp({ store, clock });
    const push = signedText('opn_down', '认证', { timestampSeconds: Math.floor(clock.ms / 1000) });
    const started = Date.now();
    const res = await request(t.rt.app.callback()).post('/wechat').query(push.query).type('text/xml').send(push.body);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect((await openReply(res.text, { token: TEST_TOKEN, crypto: null })).Content).toContain('系统繁忙，请稍后再试');
    expect(elapsed).toBeLessThan(4000); // WeChat gives up at 5 s; this is a correctness bound, not a benchmark
    expect((await request(t.rt.app.callback()).get('/readyz')).status).toBe(503);
    await t.close();
  });
});

describe('logs', () => {
  it('never carry an ID number, a mobile number or a follower name in clear', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const log = createLogger('info', sink);
    log.info({ name: '王秀英', phone: '13912342345', idNumber: '11010519491231002X' }, 'saw 11010519491231002X and 139 1234 2345');
    log.info({ detail: { content: '我叫王秀英' } }, 'x');
    log.error({ err: { message: 'cannot parse 11010519491231002X', stack: 'Error: 13912342345\n at x' } }, 'failed');
    const all = lines.join('');
    expect(all).not.toMatch(/11010519491231002X|13912342345|王秀英|139 1234 2345/);
    expect(scrub('身份证 1101 0519 4912 3100 2x')).toBe('身份证 [id]');
  });
});
