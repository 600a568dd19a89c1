import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { MAX_PUSH_BYTES, ProtocolError } from '../wechat';

/**
 * Reads a push body of at most MAX_PUSH_BYTES within `deadlineMs` of the headers. raw-body has no
 * deadline of its own, and a client trickling a byte now and then would otherwise hold the
 * request until the server's requestTimeout; a real push is a few hundred bytes sent at once.
 *
 * @throws ProtocolError 413 body_too_large, 408 body_timeout (the app then closes the
 *   connection), 400 malformed_xml when the body cannot be read (aborted, shorter than announced)
 */
export async function readPushBody(ctx: Context, deadlineMs: number): Promise<string> {
  const reading = getRawBody(ctx.req, { limit: MAX_PUSH_BYTES, encoding: 'utf8', length: ctx.get('content-length') || undefined });
  // Once the deadline wins, the connection is closed and raw-body fails later: nobody waits for it.
  reading.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // After a stalled event loop (GC, a burst of pushes) timers run before pending reads: the
    // refusal waits one turn, so a body that has in fact arrived is read rather than refused.
    timer = setTimeout(() => setImmediate(() => reject(new ProtocolError('body_timeout', `${deadlineMs} ms`))), deadlineMs);
  });
  try {
    return await Promise.race([reading, deadline]);
  } catch (err) {
    if (err instanceof ProtocolError) {
      // Stop reading what is still coming; the socket closes once the 408 is written.
      ctx.req.pause();
      throw err;
    }
    throw (err as { type?: string }).type === 'entity.too.large' ? new ProtocolError('body_too_large') : new ProtocolError('malformed_xml', 'unreadable body');
  } finally {
    clearTimeout(timer);
  }
}
