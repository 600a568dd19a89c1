import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { generateRecordsKeyPair } from '../../src/records/envelope';
import { recordsExport } from '../../scripts/records-export';
import type { RedisServer } from './redis-server';

/** Fixtures for the office's records: key pairs on disk, running the export, and reading all a Redis holds. */

export interface KeyPairFiles {
  readonly dir: string;
  readonly publicLine: string;
  readonly keyFile: string;
  readonly kid: string;
}

/** A fresh office key pair, the private key in a temporary folder. */
export function officeKeys(): KeyPairFiles {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'records-'));
  const pair = generateRecordsKeyPair();
  const keyFile = path.join(dir, 'office.key');
  writeFileSync(keyFile, pair.privatePem, { mode: 0o600 });
  return { dir, publicLine: pair.publicLine, keyFile, kid: pair.kid };
}

/** Runs `records:export` in-process and keeps what it printed. */
export async function runExport(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await recordsExport(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** A CSV of the export (RFC 4180, BOM first) as rows of cells. */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('no byte-order mark');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/**
 * Every key of a redis-server and every value, whatever its type (BullMQ keeps hashes, lists,
 * sorted sets and streams), as one text per key.
 */
export async function everything(server: RedisServer): Promise<Map<string, string>> {
  const redis = new Redis(server.url);
  try {
    const all = new Map<string, string>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string' ? await redis.get(key)
          : type === 'hash' ? await redis.hgetall(key)
          : type === 'list' ? await redis.lrange(key, 0, -1)
          : type === 'set' ? await redis.smembers(key)
          : type === 'zset' ? await redis.zrange(key, '0', '-1', 'WITHSCORES')
          : type === 'stream' ? await redis.xrange(key, '-', '+')
          : `(${type})`;
        all.set(key, JSON.stringify(value));
      }
    } while (cursor !== '0');
    return all;
  } finally {
    redis.disconnect();
  }
}

/** The server's files on disk: a fresh uncompressed RDB snapshot and the append-only files, as bytes. */
export async function dumpFiles(server: RedisServer): Promise<Buffer> {
  const redis = new Redis(server.url);
  try {
    // Compressed strings would hide clear text from the search, and prove nothing.
    await redis.config('SET', 'rdbcompression', 'no');
    await redis.save();
  } finally {
    redis.disconnect();
  }
  const files: Buffer[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const f = path.join(dir, name);
      if (statSync(f).isDirectory()) walk(f);
      else if (/\.(rdb|aof)$/.test(name)) files.push(readFileSync(f));
    }
  };
  walk(server.dir);
  if (files.length < 2) throw new Error(`expected an RDB and an append-only file in ${server.dir}`);
  return Buffer.concat(files);
}
