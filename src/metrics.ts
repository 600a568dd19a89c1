import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance (tests build many apps in one process). */
export function createMetrics(opts: { defaults?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    pushes: new Counter({ name: 'wechat_pushes_total', help: 'Pushes received, by message type', labelNames: ['type'] as const, registers: [registry] }),
    replies: new Counter({ name: 'wechat_replies_total', help: 'Replies sent, by kind (text, news, none, retry)', labelNames: ['kind'] as const, registers: [registry] }),
    errors: new Counter({ name: 'wechat_errors_total', help: 'Pushes refused or failed, by reason', labelNames: ['reason'] as const, registers: [registry] }),
    latency: new Histogram({
      name: 'wechat_push_duration_seconds',
      help: 'Time from a push arriving to its reply',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    links: new Counter({ name: 'face_check_links_total', help: 'Face-check links issued, by category', labelNames: ['category'] as const, registers: [registry] }),
    notifications: new Counter({ name: 'wechat_notifications_total', help: 'Customer-service messages, by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    templates: new Counter({ name: 'wechat_template_messages_total', help: 'Template messages (reminders), by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    reminders: new Counter({ name: 'reminders_total', help: 'Reminders queued, by kind', labelNames: ['kind'] as const, registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
