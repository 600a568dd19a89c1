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
export function readPushBody(ctx: Context, deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // After a stalled event loop (GC, a burst of pushes) timers run before pending reads: the
    // refusal waits one turn, so a body that has in fact arrived is read rather than refused.
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        // Stop reading what is still coming; the socket closes once the 408 is written. raw-body
        // fails later, and nobody waits for it.
        ctx.req.pause();
        reject(new ProtocolError('body_timeout', `${deadlineMs} ms`));
      });
    }, deadlineMs);
    getRawBody(ctx.req, { limit: MAX_PUSH_BYTES, encoding: 'utf8', length: ctx.get('content-length') || undefined }, (err, body) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (!err) resolve(body);
      else reject((err as { type?: string }).type === 'entity.too.large' ? new ProtocolError('body_too_large') : new ProtocolError('malformed_xml', 'unreadable body'));
    });
  });
}
