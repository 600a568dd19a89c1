import type { RequestListener } from 'node:http';
import type { Metrics } from '../metrics';

/**
 * The whole of the metrics listener: `GET /metrics`, spelled exactly, and nothing else. It runs on
 * a listener of its own (METRICS_HOST:METRICS_PORT, loopback by default), so no proxy rule on the
 * public side has to hide it, and no other spelling (/METRICS, /metrics/) can slip past one.
 */
export function metricsListener(metrics: Metrics): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end('method not allowed');
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
    );
  };
}
