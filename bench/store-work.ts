import Redis from 'ioredis';
import { z } from 'zod';
import { createFaqAnswerer, type FaqAnswerer } from './faq-answer';

/**
 * The store work a stateful account cannot skip, written as a Node developer would with ioredis,
 * one awaited command after another: claim the MsgId (`SET … NX EX 300`, so a retry is not
 * answered twice), read the follower's session, answer, write the session back with a TTL.
 * Three round trips a push. The co-wechat peer and the floor with a store both run exactly this,
 * so the two differ only in what is around it (Koa + co-wechat, or bare node:http).
 * It keeps none of the app's other guarantees (no cached reply for a retry, no sealing, no
 * compare-and-set): it is the least such an account does, not an equal of the app.
 */
const sessionSchema = z.object({ v: z.literal(1), asked: z.number().int().nonnegative() });
type Session = z.infer<typeof sessionSchema>;

/** How long WeChat can still retry a push: the claim outlives every retry. */
const CLAIM_SECONDS = 300;

export interface StoreWork {
  /** The reply to a text push, or null when the MsgId was already claimed (a retry: say nothing). */
  handle(push: { openid: string; msgId: string; text: string }): Promise<string | null>;
}

export function createStoreWork(redis: Redis, faq: FaqAnswerer): StoreWork {
  const sessionSeconds = Math.max(1, Math.round(faq.config.cert.dialogueIdleMs / 1000));
  return {
    async handle({ openid, msgId, text }) {
      const claimed = await redis.set(`f:{${openid}}:d:${msgId}`, '1', 'EX', CLAIM_SECONDS, 'NX');
      if (claimed === null) return null;
      const key = `f:{${openid}}:session`;
      const raw = await redis.get(key);
      const session = parseSession(raw);
      const reply = faq.answer(text);
      await redis.set(key, JSON.stringify({ v: 1, asked: session.asked + 1 } satisfies Session), 'EX', sessionSeconds);
      return reply;
    },
  };
}

function parseSession(raw: string | null): Session {
  if (raw === null) return { v: 1, asked: 0 };
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // an unreadable session starts afresh, as the app does with an unreadable state
  }
  return { v: 1, asked: 0 };
}

/**
 * What each contender with a store starts from, in its own process: the app's environment read as
 * the app reads it, a connection to the benchmark's redis-server, and the store work; SIGTERM
 * disconnects and exits.
 */
export function storeContender(who: string): { readonly faq: FaqAnswerer; readonly work: StoreWork } {
  const faq = createFaqAnswerer(process.env);
  const url = faq.config.redis?.url;
  if (!url) throw new Error(`REDIS_URL is required: ${who} talks to the benchmark's redis-server`);
  const redis = new Redis(url);
  process.on('SIGTERM', () => {
    redis.disconnect();
    process.exit(0);
  });
  return { faq, work: createStoreWork(redis, faq) };
}
