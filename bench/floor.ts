import { createServer, type Server } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { openPush, sealReply } from '../src/wechat';

/**
 * The floor the app is measured against: a bare `node:http` server doing only what no backend can
 * skip — check the signature, parse the XML into a message — and answering a fixed text reply.
 * It uses the app's own protocol layer, so the ratio prices what Koa, the core and Redis add.
 */
export function createFloorServer(token: string): Server {
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
      openPush({ query, body: Buffer.concat(chunks).toString('utf8'), token, crypto: null, nowSeconds }).then(
        ({ message, envelope }) => {
          const body = sealReply({ kind: 'text', content: '收到' }, message, envelope, { token, crypto: null, nowSeconds });
          res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
        },
        () => res.writeHead(400).end(),
      );
    });
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? 3100);
  createFloorServer(process.env.WECHAT_TOKEN ?? 'benchtoken').listen(port, '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
}
