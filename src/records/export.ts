import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { json } from '../store/codec';
import { certMarkSchema, markPattern } from '../store/layout';
import type { Store } from '../store';
import { kidOfEnvelope, type RecordsPrivateKey } from './envelope';
import { openRecord } from './record';
import { openTable, rowOf, type Format } from './table';

/** A reason the export wrote nothing, worded for the person running it. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface ExportOptions {
  /** The office's private keys: more than one after a key change within a cycle. */
  readonly keys: readonly RecordsPrivateKey[];
  readonly cycle: number;
  /** YYYY-MM-DD (China), both days included. */
  readonly from?: string;
  readonly to?: string;
  readonly format: Format;
  readonly out: string;
  /** Called every `progressEvery` rows and at the end. */
  readonly progress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
}

export interface ExportSummary {
  readonly people: number;
  /** Marks of the cycle outside --from/--to. */
  readonly outOfRange: number;
  /** Marks written before records were kept (no sealed record inside): they cannot be listed. */
  readonly withoutRecord: number;
}

const markCodec = json(certMarkSchema);

/**
 * Every person certified (passed) in a cycle, in the order they certified, into a new file. Only
 * passes are ever sealed into a mark, so a failed check cannot appear. All-or-nothing: every record
 * must open with one of the keys before anything is written, and the rows go to a temporary file
 * renamed at the end, so a wrong key, a tampered record or a crash leaves no partial list behind.
 */
export async function exportRecords(store: Store, o: ExportOptions): Promise<ExportSummary> {
  const found: { at: string; envelope: string }[] = [];
  let outOfRange = 0;
  let withoutRecord = 0;
  for await (const batch of store.scan(markPattern(o.cycle))) {
    for (const [, raw] of batch) {
      const mark = markCodec.decode(raw);
      if (mark === null || mark.result !== 'pass') continue;
      if ((o.from && mark.date < o.from) || (o.to && mark.date > o.to)) outOfRange++;
      else if (mark.record === undefined) withoutRecord++;
      else found.push({ at: mark.certifiedAt, envelope: mark.record });
    }
  }

  const byKid = new Map(o.keys.map((k) => [k.publicKey.kid, k]));
  const foreign = new Map<string, number>();
  for (const f of found) {
    const kid = kidOfEnvelope(f.envelope) ?? 'unreadable';
    if (!byKid.has(kid)) foreign.set(kid, (foreign.get(kid) ?? 0) + 1);
  }
  if (foreign.size > 0) {
    const sealedTo = [...foreign].map(([kid, n]) => `${n} sealed to key ${kid}`).join(', ');
    throw new ExportError(
      `wrong key: ${sealedTo}; the key given is ${[...byKid.keys()].join(' and ')}. ` +
        'Use the private key whose .pub line is RECORDS_PUBLIC_KEY on the servers (records:keygen printed its key id). Nothing was written.',
    );
  }

  found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const tmp = path.join(path.dirname(o.out), `.${path.basename(o.out)}.${randomBytes(6).toString('hex')}.partial`);
  const every = o.progressEvery ?? 1000;
  try {
    const table = await openTable(o.format, tmp);
    let done = 0;
    for (const f of found) {
      let record;
      try {
        record = openRecord(f.envelope, byKid.get(kidOfEnvelope(f.envelope)!)!);
      } catch (err) {
        throw new ExportError(`a record does not open (${(err as Error).message}); it may have been changed in Redis. Nothing was written.`);
      }
      if (record.cycle !== o.cycle) throw new ExportError(`a record of cycle ${record.cycle} is stored under cycle ${o.cycle}. Nothing was written.`);
      await table.add(rowOf(record));
      if (++done % every === 0) o.progress?.(done, found.length);
    }
    await table.end();
    o.progress?.(done, found.length);
    renameSync(tmp, o.out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return { people: found.length, outOfRange, withoutRecord };
}
