import type { z } from 'zod';
import type { Sealer } from './sealed';

/**
 * How one kind of stored value becomes a string and back. Decoding never throws: a value that is
 * not ours, tampered with, or of an older shape reads as null, and the caller treats it as absent
 * rather than failing every message of that follower. Sealing wraps a codec, as grammY wraps a
 * storage, so a schema says what a value is and the wrapper says how it is kept.
 */
export interface Codec<T> {
  encode(value: T): string;
  decode(raw: string): T | null;
}

/** JSON read through a zod schema: never `JSON.parse(...) as T`. */
export function json<T>(schema: z.ZodType<T>): Codec<T> {
  return {
    encode: (value) => JSON.stringify(value),
    decode(raw) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return null;
      }
      const r = schema.safeParse(parsed);
      return r.success ? r.data : null;
    },
  };
}

/** The inner codec's string, sealed (AES-256-GCM) with a key that never reaches the store. */
export function sealed<T>(inner: Codec<T>, sealer: Sealer): Codec<T> {
  return {
    encode: (value) => sealer.seal(inner.encode(value)),
    decode(raw) {
      const plain = sealer.open(raw);
      return plain === null ? null : inner.decode(plain);
    },
  };
}
