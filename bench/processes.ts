import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

/**
 * The benchmark's child processes (the app, the floors, the peer): started, awaited until they
 * answer, priced in CPU time, and stopped — only the ones this run started, by their own handle.
 */
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return child;
}

function get(port: number, pathname: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export async function waitFor(child: ChildProcess, port: number, pathname: string, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await get(port, pathname)) !== 200) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} at start`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready on port ${port}`);
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL after `ms`; resolves with the exit code. */
export async function stopChild(child: ChildProcess, ms = 15_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export const stopAll = (ms = 5000) => Promise.all(children.map((c) => stopChild(c, ms)));
export const killAll = () => children.forEach((c) => c.kill('SIGKILL'));

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where there is no /proc. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Runs a phase and prices it in CPU time of each process: steadier than req/s on a busy machine. */
export async function priced<T>(pids: Record<string, number | undefined>, run: () => Promise<T>): Promise<T & { cpu: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const out = await run();
  const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) - before[k]!]));
  return { ...out, cpu };
}
