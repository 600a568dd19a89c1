import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Redis from 'ioredis';
import { seedId, seedRecords } from '../../bench/records-seed';
import { officeKeys, parseCsv, runExport, type KeyPairFiles } from '../helpers/records';
import { describeWithRedisServer, RedisServer } from '../helpers/redis-server';

/** The office's whole list of a district: 10 000 people, with progress shown (timings: `npm run bench:records`). */

describeWithRedisServer('an export of 10 000 records', () => {
  let server: RedisServer;
  let keys: KeyPairFiles;
  const N = 10_000;
  jest.setTimeout(180_000);

  beforeAll(async () => {
    server = await RedisServer.launch();
    keys = officeKeys();
    const redis = new Redis(server.url);
    await seedRecords(redis, 'pcw:', 2026, N, keys.publicLine);
    redis.disconnect();
  });
  afterAll(async () => {
    await server.dispose();
    rmSync(keys.dir, { recursive: true, force: true });
  });

  it('writes every person once, in the order they certified, and shows progress', async () => {
    const out = path.join(keys.dir, 'all.csv');
    const run = await runExport(['--key', keys.keyFile, '--cycle', '2026', '--out', out], { REDIS_URL: server.url });
    expect(run.code).toBe(0);
    expect(run.err).toEqual([...Array.from({ length: 10 }, (_, i) => `${(i + 1) * 1000} / ${N} records opened`), `${N} / ${N} records opened`]);
    const rows = parseCsv(readFileSync(out, 'utf8')).slice(1);
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r[0])).size).toBe(N);
    expect(rows[0]!.slice(0, 3)).toEqual([seedId(0), '乌云其其格', '13900000000']);
    expect(rows[N - 1]![0]).toBe(seedId(N - 1));
  });

  it('writes the same 10 000 rows to an Excel workbook', async () => {
    const out = path.join(keys.dir, 'all.xlsx');
    expect((await runExport(['--key', keys.keyFile, '--cycle', '2026', '--out', out], { REDIS_URL: server.url })).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(N + 1);
    expect(sheet.getRow(N + 1).getCell(1).value).toBe(seedId(N - 1));
  });
});
