import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { metricsListener } from './metrics-app';

/**
 * How long a client may take. Node's own defaults let a slow client hold a connection for 60–90 s
 * (headers 60 s, checked only every 30 s); WeChat gives up on a push after 5 s anyway.
 */
export interface ServerTimeouts {
  /** The request's headers must be complete within this. */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, within this (never less than headersTimeoutMs). */
  readonly requestTimeoutMs: number;
  /** How often Node looks for requests past those limits: each limit may overrun by up to this. */
  readonly checkIntervalMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, checkIntervalMs: 1_000, keepAliveTimeoutMs: 10_000 };

/** A node:http server with the timeouts set; a request past them is answered 408 and its connection closed. */
export function createHttpServer(listener: RequestListener, timeouts: Partial<ServerTimeouts> = {}): Server {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const server = createServer(
    { headersTimeout: t.headersTimeoutMs, requestTimeout: Math.max(t.requestTimeoutMs, t.headersTimeoutMs), connectionsCheckingInterval: t.checkIntervalMs },
    listener,
  );
  server.keepAliveTimeout = t.keepAliveTimeoutMs;
  return server;
}

/** Resolves once bound; rejects with the bind error (EADDRINUSE, EADDRNOTAVAIL) instead of throwing later. */
export function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => reject(err);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server.address() as AddressInfo);
    });
  });
}

export interface Listeners {
  /** The public listener: /wechat, /face-check, /healthz, /readyz. */
  readonly server: Server;
  /** The metrics listener, or null when METRICS_PORT=0 or it could not bind. */
  readonly metricsServer: Server | null;
}

/**
 * Starts the public listener on HOST:PORT and the metrics listener on METRICS_HOST:METRICS_PORT.
 * A metrics port that cannot be bound is logged and skipped: metrics never keep pushes unanswered.
 */
export async function startListeners(
  rt: { readonly app: Koa; readonly config: Config; readonly logger: Logger; readonly metrics: Metrics },
  timeouts: Partial<ServerTimeouts> = {},
): Promise<Listeners> {
  const server = createHttpServer(rt.app.callback(), timeouts);
  await listenOn(server, rt.config.port, rt.config.host);
  let metricsServer: Server | null = null;
  if (rt.config.metrics) {
    const { port, host } = rt.config.metrics;
    const candidate = createHttpServer(metricsListener(rt.metrics), timeouts);
    try {
      await listenOn(candidate, port, host);
      metricsServer = candidate;
    } catch (err) {
      rt.logger.error({ err: (err as Error).message, port, host }, 'the metrics listener could not start; serving without metrics');
    }
  }
  return { server, metricsServer };
}
