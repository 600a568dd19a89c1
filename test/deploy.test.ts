import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

/** No Docker engine runs here, so the compose file is checked for what the app relies on. */
describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, any>; volumes: Record<string, unknown> };

  it('runs Redis with append-only persistence on a named volume', () => {
    const redis = compose.services.redis;
    expect(redis.command.join(' ')).toMatch(/--appendonly yes/);
    const [volume, mount] = String(redis.volumes[0]).split(':');
    expect(mount).toBe('/data');
    expect(compose.volumes).toHaveProperty(volume!);
  });

  it('wires the app to that Redis by REDIS_URL, in production mode, on port 3000', () => {
    const app = compose.services.app;
    expect(app.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(app.environment.NODE_ENV).toBe('production');
    expect(app.environment.PORT).toBe('3000');
    expect(app.ports.some((p: string) => p.endsWith(':3000'))).toBe(true);
    expect(app.depends_on.redis.condition).toBe('service_healthy');
  });

  it('keeps metrics on their own port, on the compose network only, never published on the host', () => {
    const app = compose.services.app;
    expect(app.environment.METRICS_PORT).toBe('9464');
    expect(app.environment.METRICS_PORT).not.toBe(app.environment.PORT);
    expect(app.expose).toContain('9464');
    expect(app.ports.some((p: string) => p.includes('9464'))).toBe(false);
    // Inside a container loopback would reach nobody: the app listens on every interface there.
    expect(app.environment.HOST).toBe('0.0.0.0');
  });
});

describe('settings', () => {
  const read_ = read('src/config.ts');
  const names = [...new Set([...read_.matchAll(/^\s+([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!))];

  it.each(names)('%s is documented in README.md and .env.example', (name) => {
    expect(read('README.md')).toContain(name);
    expect(read('.env.example')).toContain(name);
  });
});
