import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Copy, DockerfileParser, Env, JSONInstruction, type Instruction } from 'dockerfile-ast';
import { z } from 'zod';

/**
 * The Dockerfile replayed on this machine, which has the Docker client but no engine: each stage's
 * WORKDIR becomes a scratch folder, COPY copies from the build context (the repository, less
 * .dockerignore) or from an earlier stage's folder, RUN runs in a shell there with only the
 * stage's ENV. The base image is this machine's Node. Parsing is dockerfile-ast's (the docker
 * language server's parser), so continuations, flags and exec forms are read as Docker reads them.
 */

export type Step =
  | { readonly kind: 'workdir'; readonly path: string }
  | { readonly kind: 'copy'; readonly from: string | null; readonly sources: readonly string[]; readonly dest: string }
  | { readonly kind: 'run'; readonly command: string }
  | { readonly kind: 'env'; readonly vars: Readonly<Record<string, string>> }
  | { readonly kind: 'cmd'; readonly argv: readonly string[] }
  | { readonly kind: 'healthcheck'; readonly command: string }
  | { readonly kind: 'other'; readonly keyword: string };

export interface Stage {
  /** The `AS` name, or null. */
  readonly name: string | null;
  readonly image: string;
  readonly steps: readonly Step[];
}

const execForm = z.array(z.string()).min(1);

/** The stages of a Dockerfile, in order, with the instructions the replay understands. */
export function parseDockerfile(text: string): Stage[] {
  const stages: { name: string | null; image: string; steps: Step[] }[] = [];
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const keyword = ins.getKeyword();
    const args = ins.getArguments().map((a) => a.getValue());
    if (keyword === 'FROM') {
      const as = args.findIndex((a) => a.toUpperCase() === 'AS');
      stages.push({ name: as === -1 ? null : args[as + 1] ?? null, image: args[0] ?? '', steps: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) throw new Error(`${keyword} before any FROM`);
    stage.steps.push(step(ins, keyword, args));
  }
  return stages;
}

function step(ins: Instruction, keyword: string, args: readonly string[]): Step {
  switch (keyword) {
    case 'WORKDIR':
      return { kind: 'workdir', path: args.join(' ') };
    case 'COPY': {
      if (!(ins instanceof Copy)) throw new Error('COPY not parsed as COPY');
      return { kind: 'copy', from: ins.getFromFlag()?.getValue() ?? null, sources: args.slice(0, -1), dest: args[args.length - 1] ?? '' };
    }
    case 'RUN':
      return { kind: 'run', command: ins.getArgumentsContent() ?? '' };
    case 'ENV': {
      if (!(ins instanceof Env)) throw new Error('ENV not parsed as ENV');
      return { kind: 'env', vars: Object.fromEntries(ins.getProperties().map((p) => [p.getName(), p.getUnescapedValue() ?? ''])) };
    }
    case 'CMD': {
      if (!(ins instanceof JSONInstruction) || ins.getJSONStrings().length === 0) throw new Error('CMD must be in exec form (a JSON array), so signals reach node');
      return { kind: 'cmd', argv: execForm.parse(ins.getJSONStrings().map((s) => s.getJSONValue())) };
    }
    case 'HEALTHCHECK':
      return { kind: 'healthcheck', command: (ins.getArgumentsContent() ?? '').replace(/^CMD\s+/i, '') };
    default:
      return { kind: 'other', keyword };
  }
}

/** Where a replayed stage lives: its WORKDIR in the image and the scratch folder standing for it. */
export interface Replayed {
  readonly workdir: string;
  readonly dir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cmd: readonly string[] | null;
  readonly healthcheck: string | null;
  /** Every RUN line with its exit code and output, in order; replay stops at the first that fails. */
  readonly runs: readonly { command: string; code: number; output: string }[];
}

export interface ReplayOptions {
  /** The build context: the repository. */
  readonly context: string;
  /** An empty scratch folder for the stage's WORKDIR. */
  readonly dir: string;
  /** Stages replayed before, by name, for COPY --from. */
  readonly earlier: ReadonlyMap<string, Replayed>;
  /** What the build machine adds to a RUN line's environment (PATH, HOME, the npm cache). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly runTimeoutMs: number;
}

const run = promisify(execFile);

/** Replays one stage; a step the replay cannot stand for (a path outside WORKDIR, a wildcard) throws. */
export async function replayStage(stage: Stage, opts: ReplayOptions): Promise<Replayed> {
  let workdir = '/';
  const env: Record<string, string> = {};
  const runs: { command: string; code: number; output: string }[] = [];
  let cmd: readonly string[] | null = null;
  let healthcheck: string | null = null;
  const ignored = dockerignore(opts.context);
  for (const s of stage.steps) {
    switch (s.kind) {
      case 'workdir':
        workdir = path.posix.resolve(workdir, s.path);
        break;
      case 'copy': {
        const from = s.from === null ? null : opts.earlier.get(s.from);
        if (s.from !== null && !from) throw new Error(`COPY --from=${s.from}: no such stage before this one`);
        const dest = local(opts.dir, workdir, s.dest);
        const intoDir = s.sources.length > 1 || s.dest.endsWith('/');
        for (const src of s.sources) {
          if (/[*?[]/.test(src)) throw new Error(`COPY ${src}: wildcards are not replayed`);
          const file = from ? local(from.dir, from.workdir, src) : path.join(opts.context, src);
          if (!from && ignored(src)) throw new Error(`COPY ${src}: excluded by .dockerignore`);
          if (!existsSync(file)) throw new Error(`COPY ${src}: not found${from ? ` in stage ${s.from}` : ' in the build context'}`);
          const isDir = statSync(file).isDirectory();
          const target = isDir || !intoDir ? dest : path.join(dest, path.basename(file));
          mkdirSync(isDir ? target : path.dirname(target), { recursive: true });
          // A directory's contents are copied, not the directory itself, as Docker does.
          cpSync(file, target, { recursive: true, filter: (f) => from !== null || !ignored(path.relative(opts.context, f)) });
        }
        break;
      }
      case 'run': {
        if (runs.some((r) => r.code !== 0)) break;
        const cwd = local(opts.dir, workdir, '.');
        mkdirSync(cwd, { recursive: true });
        try {
          const out = await run('sh', ['-c', s.command], { cwd, env: { ...opts.baseEnv, ...env }, timeout: opts.runTimeoutMs, maxBuffer: 16 * 1024 * 1024 });
          runs.push({ command: s.command, code: 0, output: out.stdout + out.stderr });
        } catch (err) {
          const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
          runs.push({ command: s.command, code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}\n${e.message}` });
        }
        break;
      }
      case 'env':
        Object.assign(env, s.vars);
        break;
      case 'cmd':
        cmd = s.argv;
        break;
      case 'healthcheck':
        healthcheck = s.command;
        break;
      case 'other':
        break; // USER, EXPOSE, LABEL: nothing to replay on this machine
      default: {
        const never: never = s;
        throw new Error(`unknown step ${JSON.stringify(never)}`);
      }
    }
  }
  return { workdir, dir: opts.dir, env, cmd, healthcheck, runs };
}

/** A path in the image mapped into the stage's scratch folder; only WORKDIR and below are replayed. */
function local(dir: string, workdir: string, p: string): string {
  const inImage = path.posix.resolve(workdir, p);
  const rel = path.posix.relative(workdir, inImage);
  if (rel.startsWith('..')) throw new Error(`${p} is outside WORKDIR ${workdir}, which is all the replay stands for`);
  return path.join(dir, rel);
}

/** .dockerignore's patterns (anchored at the context's root, `*` within one name), as a test of a relative path. */
function dockerignore(context: string): (rel: string) => boolean {
  const file = path.join(context, '.dockerignore');
  const patterns = existsSync(file)
    ? readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    : [];
  const res = patterns.map((p) => new RegExp(`^${p.replace(/^\/+|\/+$/g, '').split('*').map(escape).join('[^/]*')}(/|$)`));
  return (rel) => res.some((re) => re.test(rel.split(path.sep).join('/')));
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
