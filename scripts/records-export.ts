import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadRedisConfig } from '../src/config';
import { parsePrivateKey, type RecordsPrivateKey } from '../src/records/envelope';
import { ExportError, exportRecords } from '../src/records/export';
import type { Format } from '../src/records/table';
import { createRedisStore } from '../src/store';
import type { Io } from './menu-push';

/**
 * `npm run records:export -- --key FILE --cycle YYYY [--from DATE] [--to DATE] [--format csv|xlsx]
 * --out FILE`: the office's list of the people certified in a cycle, read from the store named by
 * REDIS_URL (or REDIS_SENTINELS / REDIS_CLUSTER_NODES, with REDIS_KEY_PREFIX) and opened with the
 * office's private key. Runs on the office's machine, which needs only those settings and the key.
 */
const USAGE = 'usage: records-export --key FILE [--key FILE…] --cycle YYYY [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format csv|xlsx] --out FILE';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function recordsExport(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { key: { type: 'string', multiple: true }, cycle: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const problems: string[] = [];
  if (!values.key?.length) problems.push('--key FILE is required (the private key from records:keygen)');
  if (!values.cycle || !/^\d{4}$/.test(values.cycle)) problems.push('--cycle must be a year, e.g. 2026');
  if (values.from && !DATE.test(values.from)) problems.push('--from must be YYYY-MM-DD');
  if (values.to && !DATE.test(values.to)) problems.push('--to must be YYYY-MM-DD');
  if (!values.out) problems.push('--out FILE is required');
  const format = (values.format ?? (values.out?.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv')) as string;
  if (format !== 'csv' && format !== 'xlsx') problems.push('--format must be csv or xlsx');
  if (problems.length) {
    io.err(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }

  const keys: RecordsPrivateKey[] = [];
  for (const file of values.key!) {
    try {
      keys.push(parsePrivateKey(readFileSync(file, 'utf8')));
    } catch (err) {
      io.err(`--key ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}. Nothing was written.`);
      return 1;
    }
  }
  let redis;
  try {
    redis = loadRedisConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return 1;
  }
  if (!redis) {
    io.err('REDIS_URL (or REDIS_SENTINELS / REDIS_CLUSTER_NODES) must name the store to read. Nothing was written.');
    return 1;
  }

  const store = createRedisStore(redis, undefined, { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 5000, commandTimeout: 30_000, lazyConnect: false });
  const out = path.resolve(values.out!);
  const started = Date.now();
  try {
    const summary = await exportRecords(store, {
      keys, cycle: Number(values.cycle), format: format as Format, out,
      ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}),
      progress: (done, total) => io.err(`${done} / ${total} records opened`),
    });
    io.out(`${summary.people} people certified in ${values.cycle}${values.from || values.to ? ` (${values.from ?? '…'} to ${values.to ?? '…'})` : ''} written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (summary.withoutRecord) io.err(`note: ${summary.withoutRecord} people were certified before records were kept and could not be listed`);
    return 0;
  } catch (err) {
    if (err instanceof ExportError) io.err(err.message);
    else io.err(`export failed: ${(err as Error).message}. Nothing was written.`);
    return 1;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  recordsExport(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
