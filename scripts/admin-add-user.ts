import type { Io as LineIo } from './menu-push';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/admin/password';
import { ADMIN_NAME } from '../src/config';

/**
 * `npm run admin:add-user -- NAME`: reads a password on standard input (typed twice and not echoed
 * at a terminal; the first line when piped) and prints `NAME:HASH`, a line for ADMIN_USERS. Nothing
 * is stored anywhere: the line goes into the settings by hand, next to the other staff's lines.
 */
export interface Io extends LineIo {
  /** The password as typed: `prompt` is shown only at a terminal. */
  readonly readPassword: (prompt: string) => Promise<string>;
  readonly interactive: boolean;
}

const USAGE = 'usage: npm run admin:add-user -- NAME   (the password is read on standard input)';
export const MIN_PASSWORD = 10;

export async function addUser(argv: readonly string[], io: Io): Promise<number> {
  let name: string | undefined;
  try {
    const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new Error('give exactly one NAME');
    name = positionals[0]!;
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!ADMIN_NAME.test(name)) {
    io.err('NAME must be 1–32 letters, digits, ".", "_" or "-"');
    return 2;
  }
  const password = await io.readPassword('Password: ');
  if ([...password].length < MIN_PASSWORD) {
    io.err(`the password must have at least ${MIN_PASSWORD} characters`);
    return 1;
  }
  if (io.interactive && (await io.readPassword('Password again: ')) !== password) {
    io.err('the two passwords differ; nothing printed');
    return 1;
  }
  io.out(`${name}:${await hashPassword(password)}`);
  return 0;
}

/** At a terminal: raw mode, so the password is not echoed; Ctrl-C cancels. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') return finish(), resolve(typed);
        if (c === '\u0003') return finish(), reject(new Error('cancelled'));
        typed = c === '\u007f' || c === '\b' ? typed.slice(0, -1) : typed + c;
      }
    };
    stdin.on('data', onData);
  });
}

/** Piped: the first line of standard input. */
async function readFirstLine(): Promise<string> {
  let all = '';
  for await (const chunk of process.stdin) all += String(chunk);
  return all.split(/\r?\n/)[0] ?? '';
}

if (require.main === module) {
  const interactive = !!process.stdin.isTTY;
  addUser(process.argv.slice(2), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    readPassword: interactive ? readHidden : readFirstLine,
    interactive,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exitCode = 1;
    },
  );
}
