import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { describeWithRedisServer, RedisServer, type RedisServerOptions } from '../helpers/redis-server';
import { appOn, idNumber, PROMPT, untilReady } from './fixtures';

/**
 * Redis restarts while followers are half-way through the dialogue. With append-only persistence
 * nothing a follower entered is lost: they go on from the step they were at, and a certification
 * record written before is still there. The app reconnects by itself.
 *
 * A restart (SIGTERM) flushes the append-only file, so `appendfsync everysec` — what
 * docker-compose.yml runs — keeps everything. A crash (SIGKILL) keeps every acknowledged write
 * only with `appendfsync always`: with everysec Redis may answer a write whose AOF write it has
 * postponed behind a slow fsync, and a crash then loses up to about two seconds of writes.
 */
const cases: ReadonlyArray<{ name: string; signal: 'SIGTERM' | 'SIGKILL'; server: RedisServerOptions }> = [
  { name: 'a restart, appendfsync everysec (as docker-compose.yml)', signal: 'SIGTERM', server: { appendfsync: 'everysec' } },
  { name: 'a crash, appendfsync always', signal: 'SIGKILL', server: { appendfsync: 'always' } },
];

for (const c of cases) {
  describeWithRedisServer(`when Redis goes through ${c.name}`, () => {
    let server: RedisServer;
    let t: TestApp;

    beforeAll(async () => {
      server = await RedisServer.launch(c.server);
    });
    afterAll(async () => {
      await server.dispose();
    });
    beforeEach(async () => {
      t = await appOn(server);
    });
    afterEach(async () => {
      await t.close();
    });

    it('lets the follower go on where they were', async () => {
      const f = t.follower();
      expect(await f.say('认证')).toContain(PROMPT.notice);
      expect(await f.say('1')).toContain(PROMPT.category);
      expect(await f.say('1')).toContain(PROMPT.id);
      expect(await f.say(idNumber(1))).toContain(PROMPT.name);

      await server.restart(c.signal);
      await untilReady(t);

      // The category and the ID number were kept: the name is asked next, then the phone, and the
      // confirmation shows what was entered before the restart.
      expect(await f.say('王秀英')).toContain(PROMPT.phone);
      const confirm = await f.say('13912342345');
      expect(confirm).toContain(PROMPT.confirm);
      expect(confirm).toContain('养老资格认证');
      expect(confirm).toContain(`${idNumber(1).slice(0, 4)}**********${idNumber(1).slice(-4)}`);
    });

    it('keeps certification records', async () => {
      const f = t.follower();
      const id = idNumber(2);
      for (const [text, prompt] of [['认证', PROMPT.notice], ['1', PROMPT.category], ['1', PROMPT.id], [id, PROMPT.name], ['王秀英', PROMPT.phone], ['13912342345', PROMPT.confirm]]) {
        expect(await f.say(text!)).toContain(prompt);
      }
      const token = /\/face-check\/([A-Za-z0-9_-]+)/.exec(await f.say('1'))?.[1];
      expect(token).toBeDefined();
      const done = await request(t.rt.app.callback()).post(`/face-check/${token}/complete`).set('Content-Type', 'application/json').send('{"result":"pass"}');
      expect(done.body).toEqual({ ok: true, result: 'pass' });

      await server.restart(c.signal);
      await untilReady(t);

      // Another relative asks for the same person: the record survived, so once the name matches
      // too (an ID number alone tells another phone nothing) it says certified already.
      const g = t.follower();
      await g.say('认证');
      await g.say('1');
      await g.say('1');
      expect(await g.say(id)).toContain(PROMPT.name);
      expect(await g.say('王秀英')).toContain(PROMPT.certified);
      // The spent link is still known as used.
      expect((await request(t.rt.app.callback()).get(`/face-check/${token}`)).status).toBe(410);
    });
  });
}
