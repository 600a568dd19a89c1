import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateRecordsKeyPair } from '../src/records/envelope';
import type { Io } from './menu-push';

/**
 * `npm run records:keygen -- --out DIR [--name NAME]`: the office's key pair for certification
 * records. DIR/NAME.pub is one line, the value of RECORDS_PUBLIC_KEY on the servers; DIR/NAME.key
 * is the private key (PKCS#8 PEM, mode 0600), which opens the records and stays with the office,
 * never on a server. Existing files are never overwritten: a lost private key is records nobody
 * can read, a replaced one is worse.
 */
const USAGE = 'usage: records-keygen --out DIR [--name records-YYYY]';

export function recordsKeygen(argv: readonly string[], io: Io, now = new Date()): number {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { out: { type: 'string' }, name: { type: 'string' } }, strict: true }));
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.out) {
    io.err(`--out DIR is required\n${USAGE}`);
    return 2;
  }
  const name = values.name ?? `records-${now.getFullYear()}`;
  if (!/^[\w.-]{1,64}$/.test(name)) {
    io.err('--name may hold only letters, digits, ".", "_" and "-"');
    return 2;
  }
  const dir = path.resolve(values.out);
  const pub = path.join(dir, `${name}.pub`);
  const key = path.join(dir, `${name}.key`);
  for (const f of [pub, key]) {
    if (existsSync(f)) {
      io.err(`${f} exists already; nothing was written (choose another --name or --out)`);
      return 1;
    }
  }
  const pair = generateRecordsKeyPair();
  mkdirSync(dir, { recursive: true });
  writeFileSync(key, pair.privatePem, { mode: 0o600, flag: 'wx' });
  writeFileSync(pub, `${pair.publicLine}\n`, { flag: 'wx' });
  io.out(
    [
      `public key  ${pub}`,
      `private key ${key}`,
      `key id      ${pair.kid}`,
      '',
      'On the servers set (the one line of the .pub file):',
      `  RECORDS_PUBLIC_KEY=${pair.publicLine}`,
      '',
      `Keep ${path.basename(key)} with the office, OFF the server: whoever holds it can read every`,
      'certified person\'s ID number, name and phone. Keep a second copy somewhere safe (an offline',
      'USB stick in the office safe): without it no record sealed to this key can ever be read.',
      `Export with: npm run records:export -- --key ${key} --cycle YYYY --out FILE.xlsx`,
    ].join('\n'),
  );
  return 0;
}

if (require.main === module) process.exitCode = recordsKeygen(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
