import type Redis from 'ioredis';
import { parsePublicKey } from '../src/records/envelope';
import { sealRecord } from '../src/records/record';
import type { CertMark } from '../src/store/layout';

/** A valid 18-digit ID number (GB 11643 check character), different for each n below 60 000. */
export function seedId(n: number): string {
  const body = `150102${1930 + Math.floor(n / 1000)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11]!;
}

/**
 * Writes `count` marks of one cycle, each with its sealed record, as the server writes them (the
 * person key is made up: the export never reads it). For the 10 000-record test and benchmark.
 */
export async function seedRecords(redis: Redis, keyPrefix: string, cycle: number, count: number, publicLine: string): Promise<void> {
  const key = parsePublicKey(publicLine);
  const start = Date.parse(`${cycle}-03-11T09:00:00+08:00`);
  for (let from = 0; from < count; from += 500) {
    const pipeline = redis.pipeline();
    for (let n = from; n < Math.min(count, from + 500); n++) {
      const at = new Date(start + n * 37_000);
      const record = sealRecord(
        { v: 1, cycle, idNumber: seedId(n), name: '乌云其其格', phone: `139${String(n).padStart(8, '0')}`, category: '养老资格认证', certifiedAt: at.toISOString(), reference: { provider: 'stub', id: `ref${n}` } },
        key,
      );
      const mark: CertMark = { maskedId: 'masked', category: '养老资格认证', date: at.toISOString().slice(0, 10), certifiedAt: at.toISOString(), result: 'pass', record };
      pipeline.set(`${keyPrefix}rec:${cycle}:p${n}`, JSON.stringify(mark), 'PX', 3600_000);
    }
    await pipeline.exec();
  }
}
