import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config';
import { loadMenu, MENU_FILE, MenuFileError, menuOutline } from '../src/menu';
import { createMemoryStore, createRedisStore, StoreUnavailableError, type Store } from '../src/store';
import { createWechatApiClient, WechatApiError, WechatTransportError } from '../src/wechat-api';

/**
 * `npm run menu:push [-- --dry-run] [-- --file path]`: checks menus/menu.json against WeChat's limits
 * and the backend's click keys, then publishes exactly that body with `menu/create`. A bad menu is
 * reported button by button and nothing is sent. The access token comes from the same shared store
 * the servers use (Redis when configured), so publishing never voids the servers' token.
 */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = 'usage: menu-push [--dry-run] [--file menus/menu.json]';

export async function menuPush(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let flags;
  try {
    flags = parseArgs({ args: [...argv], options: { 'dry-run': { type: 'boolean' }, file: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const dryRun = flags['dry-run'] === true;
  const file = flags.file === undefined ? MENU_FILE : path.resolve(flags.file);

  let menu;
  try {
    menu = loadMenu(file);
  } catch (err) {
    if (!(err instanceof MenuFileError)) throw err;
    io.err(`${err.message}\nNothing was sent to WeChat.`);
    return 1;
  }
  const shortName = path.relative(process.cwd(), file) || file;
  if (dryRun) {
    io.out(`${shortName} is within WeChat's limits (dry run, nothing sent):\n${menuOutline(menu, { actions: true }).join('\n')}`);
    return 0;
  }

  let store: Store | undefined;
  let client;
  try {
    const config = loadConfig(env);
    if (config.redis) {
      const redis = createRedisStore(config.redis);
      store = redis;
      await redis.waitReady(5000);
    } else {
      store = createMemoryStore();
    }
    client = createWechatApiClient({ settings: config.wechat, store });
    io.out(`publishing ${shortName} to ${config.wechat.apiBase} …`);
  } catch (err) {
    await store?.close();
    if (!(err instanceof ConfigError || err instanceof StoreUnavailableError)) throw err;
    io.err(err.message);
    return 1;
  }
  try {
    await client.createMenu(menu);
    io.out(`published:\n${menuOutline(menu).join('\n')}`);
    return 0;
  } catch (err) {
    if (err instanceof WechatApiError) io.err(`WeChat refused: errcode ${err.errcode} (${err.errmsg})`);
    else if (err instanceof WechatTransportError) io.err(err.message);
    else throw err;
    return 1;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  menuPush(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
