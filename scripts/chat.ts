import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEV_API_BASE, loadConfig } from '../src/config';
import { DEV_FACEID, DEV_FACEID_PORT, startFakeFaceId, type FakeFaceId } from '../src/dev/fake-faceid';
import { startFakeWechatApi, type FakeWechatApi } from '../src/dev/fake-wechat-api';
import { createChatSession, HELP, runLine, type ChatOptions } from '../src/dev/chat';
import { formatCustomerService } from '../src/dev/chat/format';
import { loadMenu } from '../src/menu';
import { WechatCrypto } from '../src/wechat/crypto';

/**
 * `npm run chat`: WeChat in a terminal, for a server started locally (`npm start`). It signs pushes
 * as WeChat does, shows menus/menu.json as buttons to tap, and plays WeChat's API on --api-port so
 * the server's customer-service messages appear here too (start the server with
 * WECHAT_API_BASE=http://127.0.0.1:3001 for that).
 */
const DEV_API_BASE_PORT = Number(new URL(DEV_API_BASE).port);

const USAGE = `usage: chat [--url http://localhost:3000] [--token T] [--aes-key KEY [--app-id ID] [--compat]] [--api-port 3001] [--openid ID] [--faceid [--faceid-port 3002]]
  --url       the server (its /wechat route when no path is given)
  --token     the server's WECHAT_TOKEN (default: $WECHAT_TOKEN or the development default)
  --aes-key   safe mode with this EncodingAESKey (the server's WECHAT_ENCODING_AES_KEY); --compat for compatible mode
  --app-id    the appid sealed into safe-mode pushes (default: $WECHAT_APP_ID or the development default)
  --api-port  where to play WeChat's API for the server (default ${DEV_API_BASE_PORT}, where development settings point it; 0: don't)
  --faceid    also play Tencent's FaceID (API and provider page) on --faceid-port (default ${DEV_FACEID_PORT}) for a server
              started with FACE_CHECK_PROVIDER=tencent and FACEID_ENDPOINT=http://127.0.0.1:${DEV_FACEID_PORT} (the command is printed)`;

export interface ChatSetup {
  readonly session: ChatOptions;
  readonly apiPort: number;
  /** Where to play FaceID, with the credentials the server signs with; null: don't. */
  readonly faceId: { readonly port: number; readonly secretId: string; readonly secretKey: string; readonly ruleId: string } | null;
}

/** Flags and environment → what to start. Defaults follow what `npm start` runs with in development. */
export function chatSetup(argv: readonly string[], env: NodeJS.ProcessEnv): ChatSetup {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'aes-key': { type: 'string' },
      'app-id': { type: 'string' },
      compat: { type: 'boolean' },
      'api-port': { type: 'string' },
      openid: { type: 'string' },
      faceid: { type: 'boolean' },
      'faceid-port': { type: 'string' },
    },
    strict: true,
  });
  const dev = loadConfig({ NODE_ENV: 'development', WECHAT_TOKEN: env['WECHAT_TOKEN'], WECHAT_APP_ID: env['WECHAT_APP_ID'] });
  const url = new URL(values.url ?? `http://localhost:${env['PORT'] ?? 3000}`);
  if (url.pathname === '/') url.pathname = '/wechat';
  const apiPort = Number(values['api-port'] ?? DEV_API_BASE_PORT);
  if (!Number.isInteger(apiPort) || apiPort < 0 || apiPort > 65535) throw new Error(`--api-port must be a port number, not ${values['api-port']}`);
  const aesKey = values['aes-key'];
  const session: ChatOptions = {
    url: url.toString(),
    token: values.token ?? dev.wechat.token,
    menu: loadMenu(),
    ...(values.openid ? { openid: values.openid } : {}),
    ...(aesKey ? { mode: values.compat ? 'compat' : 'safe', crypto: new WechatCrypto(values['app-id'] ?? dev.wechat.appId, [aesKey]) } : {}),
  };
  const faceIdPort = Number(values['faceid-port'] ?? DEV_FACEID_PORT);
  if (!Number.isInteger(faceIdPort) || faceIdPort < 1 || faceIdPort > 65535) throw new Error(`--faceid-port must be a port number, not ${values['faceid-port']}`);
  // The fake checks signatures with the credentials the server will sign with: the environment's, or public development ones.
  const faceId = values.faceid
    ? {
        port: faceIdPort,
        secretId: env['TENCENTCLOUD_SECRET_ID'] || DEV_FACEID.secretId,
        secretKey: env['TENCENTCLOUD_SECRET_KEY'] || DEV_FACEID.secretKey,
        ruleId: env['FACEID_RULE_ID'] || DEV_FACEID.ruleId,
      }
    : null;
  return { session, apiPort, faceId };
}

/**
 * The command that starts a development server checking faces with the fake FaceID `f` plays.
 * Only the public development credentials are printed; credentials from the environment never are.
 */
export function faceIdServerCommand(f: NonNullable<ChatSetup['faceId']>): string {
  const endpoint = `FACE_CHECK_PROVIDER=tencent FACEID_ENDPOINT=http://127.0.0.1:${f.port}`;
  if (f.secretKey !== DEV_FACEID.secretKey) return `${endpoint} npm start   (with the same TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and FACEID_RULE_ID)`;
  return `${endpoint} TENCENTCLOUD_SECRET_ID=${f.secretId} TENCENTCLOUD_SECRET_KEY=${f.secretKey} FACEID_RULE_ID=${f.ruleId} npm start`;
}

async function main(): Promise<void> {
  let setup: ChatSetup;
  try {
    setup = chatSetup(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const session = createChatSession(setup.session);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  const print = (lines: string[]) => {
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  };

  let api: FakeWechatApi | null = null;
  if (setup.apiPort !== 0) {
    try {
      api = await startFakeWechatApi({ port: setup.apiPort });
      api.onCustomMessage((m) => {
        const lines = session.customerService(m) ?? formatCustomerService(m).map((l) => `${l}  (to ${m.touser})`);
        process.stdout.write(`\r${lines.join('\n')}\n`);
        rl.prompt(true);
      });
    } catch (err) {
      print([`! cannot play WeChat's API on port ${setup.apiPort} (${(err as Error).message}); customer-service messages won't show`]);
    }
  }

  let faceId: FakeFaceId | null = null;
  if (setup.faceId) {
    try {
      faceId = await startFakeFaceId({ ...setup.faceId, host: '127.0.0.1' });
    } catch (err) {
      print([`! cannot play FaceID on port ${setup.faceId.port} (${(err as Error).message})`]);
    }
  }

  print([
    `WeChat simulator → ${setup.session.url}  (${setup.session.mode ?? 'plain'} mode)`,
    faceId && setup.faceId
      ? `Tencent FaceID is played on ${faceId.url} (API and provider page). Start the server with:\n  ${faceIdServerCommand(setup.faceId)}`
      : '',
    api
      ? `WeChat's API is played on ${api.url}; a server started with development settings uses it, others need WECHAT_API_BASE=${api.url} to show their customer-service messages here.`
      : '',
    `You are follower ${session.openid}.`,
    ...HELP,
    '',
    ...session.menuLines(),
  ]);
  rl.prompt();
  for await (const line of rl) {
    const result = await runLine(session, line);
    print(result.lines);
    if (result.quit) break;
    rl.prompt();
  }
  rl.close();
  await api?.close();
  await faceId?.close();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
