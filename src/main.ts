import { compose } from './compose';
import { ConfigError, loadConfig } from './config';
import { startListeners } from './http/server';

/**
 * Starts the service: config → compose → listen (public HOST:PORT, metrics METRICS_HOST:METRICS_PORT);
 * SIGTERM drains in-flight pushes, then closes Redis.
 */
async function main(): Promise<void> {
  let config;
  let runtime;
  try {
    config = loadConfig(process.env);
    runtime = await compose(config, { defaultMetrics: true });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const { logger } = runtime;
  const { server, metricsServer } = await startListeners(runtime);
  logger.info(
    { host: config.host, port: config.port, metrics: metricsServer ? config.metrics : null, store: config.redis ? 'redis' : 'memory', publicBaseUrl: config.publicBaseUrl, cycle: config.cert.cycle },
    'listening',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    runtime.beginShutdown();
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    server.close(async () => {
      await runtime.close().catch(() => undefined);
      logger.info('stopped');
      process.exit(0);
    });
    // A client's keep-alive connection would hold close() open until it timed out: answers from
    // now on say Connection: close, and a connection is closed as soon as it goes idle.
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err: { message: (err as Error)?.message } }, 'unhandled rejection'));
}

void main().catch((err: Error) => {
  process.stderr.write(`start-up failed: ${err.message}\n`);
  process.exit(1);
});
