import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeUnless } from './skip';

/**
 * Real redis-server processes of our own, on free loopback ports, with append-only persistence in
 * a temporary folder, that a test can kill, freeze and start again on the same port and data.
 * The fault suites need this rather than the shared server of `.ci/run`: they restart it.
 * No jest globals at module scope, so the benchmark can use it too.
 */

/** The redis-server binary (`REDIS_SERVER_BIN` or `redis-server` on PATH), or null when there is none. */
export function findRedisServer(): string | null {
  return findExecutable(process.env.REDIS_SERVER_BIN || 'redis-server');
}

/** A program by path, or by name on PATH, when it exists and may be run; else null. */
export function findExecutable(bin: string): string | null {
  const candidates = bin.includes('/') ? [bin] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, bin));
  return candidates.find(isExecutable) ?? null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Why a group that starts its own redis-server cannot run on this machine. */
export const NO_REDIS_SERVER = 'no redis-server binary on PATH (apt-get install redis-server, or set REDIS_SERVER_BIN)';

/**
 * `describe` when a redis-server binary exists, else skipped with the reason in its title (see
 * ./skip.ts), so a machine without Redis still runs everything else.
 */
export function describeWithRedisServer(name: string, fn: () => void): void {
  describeUnless(findRedisServer() ? null : NO_REDIS_SERVER, name, fn);
}

export interface RedisServerOptions {
  /** Default 'everysec', as docker-compose.yml runs it. */
  readonly appendfsync?: 'always' | 'everysec' | 'no';
  readonly extraArgs?: readonly string[];
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export class RedisServer {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly bin: string,
    readonly port: number,
    readonly dir: string,
    private readonly opts: RedisServerOptions,
  ) {}

  /** Spawns a server on a free port with a fresh data folder and waits until it answers PING. */
  static async launch(opts: RedisServerOptions = {}): Promise<RedisServer> {
    const bin = findRedisServer();
    if (!bin) throw new Error('no redis-server binary: set REDIS_SERVER_BIN or install redis-server');
    const server = new RedisServer(bin, await freePort(), mkdtempSync(path.join(os.tmpdir(), 'redis-fault-')), opts);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** Starts (again) on the same port and folder; the append-only file is replayed before PING answers. */
  async start(): Promise<void> {
    if (this.proc) return;
    const args = [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', this.opts.appendfsync ?? 'everysec', '--save', '',
      '--daemonize', 'no', '--logfile', path.join(this.dir, 'redis.log'),
      ...(this.opts.extraArgs ?? []),
    ];
    const proc = spawn(this.bin, args, { stdio: 'ignore' });
    this.proc = proc;
    live.add(proc);
    this.exited = new Promise((resolve) =>
      proc.once('exit', () => {
        live.delete(proc);
        if (this.proc === proc) this.proc = null;
        resolve();
      }),
    );
    const deadline = Date.now() + 10_000;
    while (!(await this.answersPing())) {
      if (!this.proc) throw new Error(`redis-server exited at start; see ${path.join(this.dir, 'redis.log')}`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer PING within 10 s`);
      await sleep(20);
    }
  }

  /** SIGTERM: Redis flushes the append-only file and exits. SIGKILL: a crash. Resolves once it is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    proc.kill('SIGCONT');
    proc.kill(signal);
    await this.exited;
  }

  async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  /** Freezes the process: connections stay open and nothing answers (a hung server, a network stall). */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  /** Kills the server and removes its data. */
  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private answersPing(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      let got = '';
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(500, () => done(false));
      socket.on('error', () => done(false));
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (d) => {
        got += d.toString();
        if (got.includes('\r\n')) done(got.startsWith('+PONG'));
      });
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
