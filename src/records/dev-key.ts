import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { ROOT } from '../paths';
import { generateRecordsKeyPair, parsePrivateKey, parsePublicKey, type RecordsPublicKey } from './envelope';

/** Where development keeps its own records key pair (git-ignored), so `npm run records:export` works locally. */
export const DEV_KEY_DIR = path.join(ROOT, '.dev');
export const DEV_PRIVATE_KEY = path.join(DEV_KEY_DIR, 'records-dev.key');

/**
 * The key records are sealed to. RECORDS_PUBLIC_KEY when set (production refuses to start without
 * it, see config `assertServerConfig`); else in development a key pair of its own in .dev/ (made
 * once, with a warning), and in tests a fresh one in memory.
 */
export function recordsPublicKey(config: Config, logger: Logger): RecordsPublicKey {
  if (config.records.publicKey !== null) return parsePublicKey(config.records.publicKey);
  if (config.env === 'test') return parsePublicKey(generateRecordsKeyPair().publicLine);
  if (!existsSync(DEV_PRIVATE_KEY)) {
    const pair = generateRecordsKeyPair();
    mkdirSync(DEV_KEY_DIR, { recursive: true });
    writeFileSync(DEV_PRIVATE_KEY, pair.privatePem, { mode: 0o600 });
    chmodSync(DEV_PRIVATE_KEY, 0o600);
    writeFileSync(path.join(DEV_KEY_DIR, 'records-dev.pub'), `${pair.publicLine}\n`);
  }
  const key = parsePrivateKey(readFileSync(DEV_PRIVATE_KEY, 'utf8')).publicKey;
  logger.warn(
    { privateKey: path.relative(process.cwd(), DEV_PRIVATE_KEY), kid: key.kid },
    'RECORDS_PUBLIC_KEY is not set: records are sealed to a development key pair kept beside the code; never for real people',
  );
  return key;
}
