import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Redis from 'ioredis';
import { compose, type Runtime } from '../../src/compose';
import { startFakeWechatApi, type FakeWechatApi } from '../../src/dev/fake-wechat-api';
import { stubReference } from '../../src/face-check';
import { Clock, Follower } from '../helpers/app';
import { clearDataIn, complete, person, toLink, type Person } from '../helpers/certify';
import { testConfig } from '../helpers/config';
import { dumpFiles, everything, officeKeys, parseCsv, runExport, type KeyPairFiles } from '../helpers/records';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';

/**
 * The "done when": after two passes and a fail, the office's export lists exactly the two
 * people in full, and neither Redis nor its files on disk name anybody. Everything real: a
 * redis-server with append-only persistence, the BullMQ outbox, a WeChat API stand-in.
 */

const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const HEADINGS = ['身份证号', '姓名', '手机号', '认证类别', '认证时间', '核验方式', '核验流水号'];

describeWithRedisServer('the office\'s records', () => {
  let server: RedisServer;
  let wechat: FakeWechatApi;
  let keys: KeyPairFiles;
  let rt: Runtime;
  const clock = new Clock(Date.now());
  const [a, b, c] = [person({ name: '王秀英' }), person({ name: '阿卜杜·热合曼' }), person({ name: '李建国' })] as [Person, Person, Person];
  const tokens: string[] = [];
  const env = () => ({ REDIS_URL: server.url });
  const rowOf = (p: Person, category: string, token: string) => [p.id, p.name, p.phone, category, expect.stringMatching(new RegExp(`^${year}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`)), '模拟核验（测试用，非真实人脸识别）', stubReference(token).id];

  beforeAll(async () => {
    server = await RedisServer.launch();
    wechat = await startFakeWechatApi({});
    keys = officeKeys();
    const config = testConfig(
      { REDIS_URL: server.url, RECORDS_PUBLIC_KEY: keys.publicLine, WECHAT_API_BASE: wechat.url, CERT_WINDOW_START: `${year}-01-01`, CERT_WINDOW_END: `${year}-12-31` },
      new Date(clock.ms),
    );
    rt = await compose(config, { now: clock.now });

    // One relative certifies two people, one after the other; a neighbour's face check fails.
    const relative = new Follower(rt, 'o_relative_0001', clock);
    const first = await toLink(relative, a, '1');
    expect((await complete({ rt } as never, first.token)).status).toBe(200);
    clock.advance(60_000);
    await relative.say('1');
    const second = await toLink(relative, b, '2', { acknowledged: true, started: true });
    expect((await complete({ rt } as never, second.token)).status).toBe(200);
    const neighbour = new Follower(rt, 'o_neighbour_0002', clock);
    const third = await toLink(neighbour, c, '1');
    expect((await complete({ rt } as never, third.token, { result: 'fail' })).status).toBe(200);
    tokens.push(first.token, second.token, third.token);
    await until(() => wechat.customMessages.length === 3);
  });
  afterAll(async () => {
    await rt?.close();
    await wechat?.close();
    await server?.dispose();
    rmSync(keys.dir, { recursive: true, force: true });
  });

  it('tells each follower the result once', () => {
    expect(wechat.customMessages.map((m) => [m.touser, m.content.split('\n')[0]])).toEqual([
      ['o_relative_0001', '认证成功！'],
      ['o_relative_0001', '认证成功！'],
      ['o_neighbour_0002', '李*国的人脸识别没有通过。'],
    ]);
  });

  it('exports exactly the two people who passed, in full, as CSV with a BOM for Excel', async () => {
    const out = path.join(keys.dir, 'list.csv');
    const run = await runExport(['--key', keys.keyFile, '--cycle', String(year), '--out', out], env());
    expect(run).toMatchObject({ code: 0, out: [expect.stringContaining('2 people certified')] });
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows).toEqual([HEADINGS, rowOf(a, '养老资格认证', tokens[0]!), rowOf(b, '工伤资格认证', tokens[1]!)]);
  });

  it('exports the same two as an Excel workbook whose cells are text (18 digits kept)', async () => {
    const out = path.join(keys.dir, 'list.xlsx');
    expect((await runExport(['--key', keys.keyFile, '--cycle', String(year), '--format', 'xlsx', '--out', out], env())).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const sheet = book.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([HEADINGS, rowOf(a, '养老资格认证', tokens[0]!), rowOf(b, '工伤资格认证', tokens[1]!)]);
  });

  it('lists nobody for days outside --from/--to', async () => {
    const out = path.join(keys.dir, 'none.csv');
    const run = await runExport(['--key', keys.keyFile, '--cycle', String(year), '--from', `${year}-01-01`, '--to', `${year}-01-01`, '--out', out], env());
    expect(run.code).toBe(0);
    expect(parseCsv(readFileSync(out, 'utf8'))).toEqual([HEADINGS]);
  });

  it('refuses a wrong key with a clear message, and writes nothing', async () => {
    const other = officeKeys();
    const out = path.join(other.dir, 'list.xlsx');
    const run = await runExport(['--key', other.keyFile, '--cycle', String(year), '--out', out], env());
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(new RegExp(`wrong key: 2 sealed to key ${keys.kid}; the key given is ${other.kid}.*Nothing was written`));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(other.dir)).toEqual(['office.key']);
    rmSync(other.dir, { recursive: true, force: true });
  });

  it('keeps nobody\'s ID number, name or phone in any key or value of Redis', async () => {
    const all = await everything(server);
    expect(all.size).toBeGreaterThan(10);
    expect([...all.keys()].some((k) => k.includes(':outbox:'))).toBe(true);
    expect([...all.keys()].filter((k) => k.startsWith('pcw:rec:'))).toHaveLength(2);
    for (const p of [a, b, c]) {
      for (const [key, value] of all) expect({ key, found: clearDataIn(`${key} ${value}`, p) }).toEqual({ key, found: [] });
    }
    // Nor the follower's openid, in a key or in a queued job.
    expect(JSON.stringify([...all])).not.toContain('o_relative_0001');
  });

  it('keeps nobody in the files Redis writes to disk (an RDB snapshot and the append-only file)', async () => {
    // A control: a clear value written on purpose is found, so the search below can fail.
    const control = new Redis(server.url);
    await control.set('control', '对照张三丰 110101190001011234 13800000000', 'PX', 60_000);
    control.disconnect();
    const files = (await dumpFiles(server)).toString('latin1');
    expect(files).toContain(Buffer.from('对照张三丰', 'utf8').toString('latin1'));
    for (const p of [a, b, c]) {
      const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
      expect({ id: files.includes(p.id.slice(0, 17)), name: files.includes(utf8(p.name)), phone: files.includes(p.phone) }).toEqual({ id: false, name: false, phone: false });
    }
  });
});

async function until(ok: () => boolean, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
