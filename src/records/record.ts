import { z } from 'zod';
import { open, seal, type RecordsPrivateKey, type RecordsPublicKey } from './envelope';

/**
 * What the office needs to keep paying a person: who (ID number, name, phone), what (category),
 * when, and which verification said so (the provider and its own id, to look it up there). Sealed
 * to the office's public key at the moment of a pass; only the office's private key opens it.
 */
export const officeRecordSchema = z.object({
  v: z.literal(1),
  cycle: z.number().int(),
  idNumber: z.string(),
  name: z.string(),
  phone: z.string(),
  category: z.string(),
  /** ISO 8601, UTC. */
  certifiedAt: z.string(),
  /** `stub` (a simulation; id = a hash of the link token) or the real provider, e.g. `tencent` (id = its BizToken). */
  reference: z.object({ provider: z.string(), id: z.string() }),
});
export type OfficeRecord = z.infer<typeof officeRecordSchema>;

export const sealRecord = (record: OfficeRecord, to: RecordsPublicKey): string => seal(JSON.stringify(officeRecordSchema.parse(record)), to);

/** Opens and checks a record; throws EnvelopeError for a wrong key or a changed value, Error for a bad shape. */
export function openRecord(envelope: string, withKey: RecordsPrivateKey): OfficeRecord {
  const plain = open(envelope, withKey);
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    throw new Error('a sealed record holds no JSON');
  }
  return officeRecordSchema.parse(parsed);
}
