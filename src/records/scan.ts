import { Cluster } from 'ioredis';
import type { Client } from '../store/redis';

/**
 * Every value under a key pattern, read with SCAN (never KEYS: a live server keeps answering
 * followers meanwhile) in batches of GETs. Under Cluster each master is scanned in turn.
 */
export async function* scanValues(client: Client, pattern: string, batch = 500): AsyncGenerator<string> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', batch);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = node.pipeline();
      for (const k of keys) pipeline.get(k);
      for (const [err, value] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        if (typeof value === 'string') yield value;
      }
    } while (cursor !== '0');
  }
}
