import { createServer, type Server } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isProtocolError, openPush, sealReply, type InboundMessage } from '../src/wechat';

/** What a floor answers to one push: the reply text, or null to answer `success` (say nothing). */
export type FloorAnswer = (message: InboundMessage) => string | null | Promise<string | null>;

const FIXED: FloorAnswer = () => '收到';

/**
 * The floors the app is measured against: a bare `node:http` server doing only what no backend can
 * skip — check the signature, parse the XML into a message — and then `answer`: a fixed text for
 * the bare floor, the store work and the FAQ answer for the floor with a store (floor-store.ts).
 * It uses the app's own protocol layer, so the ratio prices what Koa and the app's core add.
 */
export function createFloorServer(token: string, answer: FloorAnswer = FIXED): Server {
  return createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/wechat')) {
      res.writeHead(req.url === '/healthz' ? 200 : 404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const q = req.url!.indexOf('?');
      const query = parseQuery(q === -1 ? '' : req.url!.slice(q + 1));
      const nowSeconds = Math.floor(Date.now() / 1000);
      openPush({ query, body: Buffer.concat(chunks).toString('utf8'), token, crypto: null, nowSeconds })
        .then(async ({ message, envelope }) => {
          const content = await answer(message);
          const reply = content === null ? ({ kind: 'none' } as const) : ({ kind: 'text', content } as const);
          const body = sealReply(reply, message, envelope, { token, crypto: null, nowSeconds });
          res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
        })
        // The generator counts anything but a 200 reply as an error.
        .catch((err: unknown) => res.writeHead(isProtocolError(err) ? 400 : 500).end());
    });
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? 3100);
  createFloorServer(process.env.WECHAT_TOKEN ?? 'benchtoken').listen(port, '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
}
