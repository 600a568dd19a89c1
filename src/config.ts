import { z } from 'zod';
import { parsePasswordHash, type PasswordHash } from './admin/password';
import { chinaDate } from './calendar';
import { bindHost, redisUrl, webUrl } from './config-fields';
import { parsePublicKey } from './records/envelope';

/**
 * Every setting, read once from the environment, validated and frozen. Start-up stops with a
 * message naming the setting when one is bad; in production no secret falls back to a default.
 */
export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly port: number;
  /** Address the public listener binds: loopback unless NODE_ENV=production. */
  readonly host: string;
  /** The Prometheus listener, apart from the public one; null when METRICS_PORT=0. */
  readonly metrics: { readonly port: number; readonly host: string } | null;
  /** A push body must have arrived this long after its headers, or the connection is closed. */
  readonly pushReadTimeoutMs: number;
  readonly logLevel: string;
  readonly publicBaseUrl: string;
  readonly wechat: {
    readonly token: string;
    readonly appId: string;
    readonly appSecret: string;
    /** Current EncodingAESKey first, then the previous one (rotation); empty: plaintext mode only. */
    readonly aesKeys: readonly string[];
    /**
     * With an EncodingAESKey set, plaintext pushes are refused unless this is true: WeChat encrypts
     * every push of an account that has a key, and a plaintext body is covered by no signature.
     */
    readonly allowPlaintext: boolean;
    readonly apiBase: string;
    readonly tokenMode: 'stable' | 'legacy';
    readonly apiTimeoutMs: number;
  };
  /** null: the embedded in-memory store. */
  readonly redis: RedisConfig | null;
  readonly cert: {
    /** YYYY-MM-DD, dates in China (UTC+8). */
    readonly windowStart: string;
    readonly windowEnd: string;
    /** The certification cycle: the year of the window. */
    readonly cycle: number;
    /** No CERT_WINDOW_* set: the window is 03-11..06-30 of whatever year it is now (see calendar `cycleAt`). */
    readonly followsClock: boolean;
    readonly dialogueIdleMs: number;
    readonly faceCheckTokenMs: number;
  };
  readonly replyCacheMs: number;
  /** Key of the HMAC that turns an ID number into a record key; never logged. */
  readonly idHashSecret: string;
  /** People one follower may look up (enter an ID number for) in a day: no bulk testing of ID numbers. */
  readonly idLookupsPerDay: number;
  readonly shutdownTimeoutMs: number;
  readonly records: {
    /**
     * The office's public key (RECORDS_PUBLIC_KEY), a checked `x25519:…` line. null: not set; the
     * server then refuses to start in production and makes a development key pair otherwise
     * (see records/dev-key.ts). Tools that write no records (menu:push) do not need it.
     */
    readonly publicKey: string | null;
    /** How long a person's mark and sealed record are kept (RECORDS_RETENTION_DAYS). */
    readonly retentionMs: number;
  };
  /** Customer-service messages: tries and the first wait (doubling) before one is kept for the next reply. */
  readonly outbox: { readonly attempts: number; readonly firstRetryMs: number };
  /** Template-message reminders (see src/reminders/): before the window ends, and when the next one opens. */
  readonly reminders: {
    /** Days before the window's last day on which followers who began are reminded, largest first. */
    readonly daysBeforeEnd: readonly number[];
    /** Hour of the China day at which the daily job runs. */
    readonly hour: number;
    /** The template the office picked in its console; null: no reminder is sent. */
    readonly templateId: string | null;
    /** Template messages sent per second at most, across all instances. */
    readonly sendsPerSecond: number;
  };
  /** The office's console (src/admin); null when ADMIN_USERS is not set: then /admin is 404. */
  readonly admin: AdminSettings | null;
  /** Production must name it explicitly (see README): `stub` is a simulation. */
  readonly faceCheckProvider: 'stub' | 'tencent';
  /** Tencent Cloud 人脸核身 (FaceID), set when FACE_CHECK_PROVIDER=tencent; the secrets are never logged. */
  readonly faceId: FaceIdConfig | null;
  /** Failed face checks a person may have on one China day before the page shows the offline ways. */
  readonly faceCheckMaxAttempts: number;
  /** Settings left at a development default (warned about at start-up). */
  readonly defaultsUsed: readonly string[];
}

export interface AdminSettings {
  readonly users: readonly { readonly name: string; readonly hash: PasswordHash }[];
  readonly sessionMs: number;
  readonly lockoutMs: number;
}

export interface FaceIdConfig {
  readonly secretId: string;
  readonly secretKey: string;
  readonly ruleId: string;
  /** The API's base URL (an origin): Tencent's by default, a local fake in tests and `npm run chat`. */
  readonly endpoint: string;
}

export interface RedisConfig {
  readonly url?: string;
  readonly keyPrefix: string;
  readonly sentinels?: readonly HostPort[];
  readonly sentinelName?: string;
  readonly clusterNodes?: readonly HostPort[];
}
export interface HostPort { readonly host: string; readonly port: number }

/**
 * What only the server needs, checked when it starts rather than in `loadConfig` (which tools share):
 * in production, records must be sealed to the office's key.
 */
export function assertServerConfig(config: Config): void {
  if (config.env === 'production' && config.records.publicKey === null) {
    throw new ConfigError('RECORDS_PUBLIC_KEY is required when NODE_ENV=production: the office\'s public key from `npm run records:keygen` (certification records are sealed to it)');
  }
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const DEV_DEFAULTS = {
  WECHAT_TOKEN: 'devtoken',
  WECHAT_APP_ID: 'wxdev0000000000000',
  WECHAT_APP_SECRET: 'dev-secret',
  ID_HASH_SECRET: 'dev-id-hash-secret-not-for-production',
} as const;

/** Tencent Cloud's FaceID API (DetectAuth, GetDetectInfoEnhanced). */
export const DEFAULT_FACEID_ENDPOINT = 'https://faceid.tencentcloudapi.com';

/** Where `npm run chat` plays WeChat's API in development. */
export const DEV_API_BASE = 'http://127.0.0.1:3001';

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine(isRealDate, 'is not a real date');
const hostList = z.string().transform((s, ctx) => {
  const out: HostPort[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^:]+):(\d{1,5})$/.exec(part);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not host:port` });
      return z.NEVER;
    }
    out.push({ host: m[1]!, port: Number(m[2]) });
  }
  return out;
});

const bool = z.enum(['true', 'false']);
/** A staff name in ADMIN_USERS: letters (any script), digits, `.`, `_`, `-`. */
export const ADMIN_NAME = /^[\p{L}\p{N}._-]{1,32}$/u;

/** `NAME:HASH,NAME:HASH`, each line as `npm run admin:add-user -- NAME` prints it. */
const adminUsers = z.string().transform((s, ctx) => {
  const users: { name: string; hash: PasswordHash }[] = [];
  for (const line of s.split(',').map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf(':');
    const name = line.slice(0, i);
    const hash = i > 0 ? parsePasswordHash(line.slice(i + 1)) : null;
    // The line is never quoted back: it holds a password hash.
    if (!ADMIN_NAME.test(name) || hash === null) {
      ctx.addIssue({ code: 'custom', message: `entry ${users.length + 1} is not NAME:scrypt$N$r$p$SALT$HASH (make one with npm run admin:add-user -- NAME)` });
      return z.NEVER;
    }
    if (users.some((u) => u.name === name)) {
      ctx.addIssue({ code: 'custom', message: `${name} is listed twice` });
      return z.NEVER;
    }
    users.push({ name, hash });
  }
  return users;
});

/** `30,10,3`: distinct whole days before the window's end, at most a year. */
const dayList = z.string().transform((s, ctx) => {
  const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
  const days = parts.map(Number);
  const bad = parts.find((p, i) => !/^\d{1,3}$/.test(p) || days[i]! < 1 || days[i]! > 366);
  if (bad !== undefined || days.length === 0) {
    ctx.addIssue({ code: 'custom', message: `must be whole days from 1 to 366, comma-separated (e.g. 30,10,3)${bad !== undefined ? `, not "${bad}"` : ''}` });
    return z.NEVER;
  }
  return [...new Set(days)].sort((a, b) => b - a);
});

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: intIn(1, 65535).default(3000),
  HOST: bindHost.optional(),
  METRICS_PORT: intIn(0, 65535).default(9464),
  METRICS_HOST: bindHost.default('127.0.0.1'),
  PUSH_READ_TIMEOUT_MS: intIn(100, 15_000).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_BASE_URL: webUrl.optional(),
  WECHAT_TOKEN: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3–32 letters or digits').optional(),
  WECHAT_APP_ID: z.string().min(1).optional(),
  WECHAT_APP_SECRET: z.string().min(1).optional(),
  WECHAT_ENCODING_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be 43 letters or digits').optional(),
  WECHAT_ENCODING_AES_KEY_PREVIOUS: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be 43 letters or digits').optional(),
  WECHAT_ALLOW_PLAINTEXT: bool.default('false'),
  WECHAT_API_BASE: webUrl.optional(),
  WECHAT_TOKEN_MODE: z.enum(['stable', 'legacy']).default('stable'),
  WECHAT_API_TIMEOUT_MS: intIn(100, 60_000).default(5000),
  REDIS_URL: redisUrl.optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default('pcw:'),
  REDIS_SENTINELS: hostList.optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  REDIS_CLUSTER_NODES: hostList.optional(),
  CERT_WINDOW_START: date.optional(),
  CERT_WINDOW_END: date.optional(),
  DIALOGUE_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
  FACE_CHECK_TOKEN_MINUTES: z.coerce.number().min(1, 'must be at least 1 (a follower needs time to open the link)').max(24 * 60).default(15),
  REPLY_CACHE_SECONDS: intIn(10, 86_400).default(300),
  ID_HASH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_TIMEOUT_MS: intIn(100, 120_000).default(10_000),
  FACE_CHECK_PROVIDER: z.enum(['stub', 'tencent']).optional(),
  TENCENTCLOUD_SECRET_ID: z.string().min(1).optional(),
  TENCENTCLOUD_SECRET_KEY: z.string().min(1).optional(),
  FACEID_RULE_ID: z.string().regex(/^[\w-]{1,64}$/, 'must be the RuleId from the FaceID console (letters, digits)').optional(),
  FACEID_ENDPOINT: webUrl
    .refine((s) => !URL.canParse(s) || new URL(s).pathname === '/', 'must be an origin without a path (the SDK posts to /)')
    .default(DEFAULT_FACEID_ENDPOINT),
  FACE_CHECK_MAX_ATTEMPTS: intIn(1, 20).default(3),
  ID_LOOKUPS_PER_DAY: intIn(1, 1000).default(20),
  RECORDS_PUBLIC_KEY: z.string().superRefine((v, ctx) => {
    try {
      parsePublicKey(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }).optional(),
  // At least a year: the mark in the same value is what says "already certified" for the whole cycle.
  RECORDS_RETENTION_DAYS: intIn(366, 3650).default(550),
  OUTBOX_RETRY_ATTEMPTS: intIn(1, 30).default(10),
  OUTBOX_RETRY_FIRST_MS: intIn(10, 600_000).default(5000),
  REMINDER_DAYS_BEFORE_END: dayList.default([30, 10, 3]),
  REMINDER_HOUR: intIn(0, 23).default(10),
  REMINDER_TEMPLATE_ID: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be the template ID from the WeChat console (letters, digits, - and _)').optional(),
  REMINDER_SENDS_PER_SECOND: intIn(1, 500).default(20),
  ADMIN_USERS: adminUsers.optional(),
  ADMIN_SESSION_MINUTES: z.coerce.number().positive().max(24 * 60).default(60),
  ADMIN_LOCKOUT_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
});

type Parsed<S extends z.ZodType> = z.infer<S>;

function parse<S extends z.ZodType>(s: S, env: NodeJS.ProcessEnv): Parsed<S> {
  // An empty line in .env (`WECHAT_ENCODING_AES_KEY=`) means "not set", as .env.example says.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = s.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

const redisSchema = schema.pick({ REDIS_URL: true, REDIS_KEY_PREFIX: true, REDIS_SENTINELS: true, REDIS_SENTINEL_NAME: true, REDIS_CLUSTER_NODES: true });

function redisOf(e: Parsed<typeof redisSchema>): RedisConfig | null {
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME) throw new ConfigError('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS');
  if (!e.REDIS_URL && !e.REDIS_SENTINELS && !e.REDIS_CLUSTER_NODES) return null;
  return {
    keyPrefix: e.REDIS_KEY_PREFIX,
    ...(e.REDIS_URL ? { url: e.REDIS_URL } : {}),
    ...(e.REDIS_SENTINELS ? { sentinels: e.REDIS_SENTINELS, sentinelName: e.REDIS_SENTINEL_NAME } : {}),
    ...(e.REDIS_CLUSTER_NODES ? { clusterNodes: e.REDIS_CLUSTER_NODES } : {}),
  };
}

/** Only the Redis settings, for tools that need nothing else (records:export on the office's machine). */
export function loadRedisConfig(env: NodeJS.ProcessEnv): RedisConfig | null {
  return deepFreeze(redisOf(parse(redisSchema, env)));
}

export function loadConfig(env: NodeJS.ProcessEnv, now: Date = new Date()): Config {
  const e = parse(schema, env);
  const production = e.NODE_ENV === 'production';
  const sharedStore = !!(e.REDIS_URL || e.REDIS_SENTINELS || e.REDIS_CLUSTER_NODES);
  const defaultsUsed: string[] = [];
  // The development values are public (they are in this file): wherever real state lives — in
  // production, or whenever a shared store is configured, whatever NODE_ENV says — they are refused,
  // since ID_HASH_SECRET also derives the key that seals dialogue state at rest.
  const required = (name: keyof typeof DEV_DEFAULTS): string => {
    const value = e[name];
    if (value !== undefined && value !== DEV_DEFAULTS[name]) return value;
    const what = value === undefined ? 'is not set' : 'is the public development default';
    if (production) throw new ConfigError(value === undefined ? `${name} is required when NODE_ENV=production` : `${name} ${what}; set a value of your own`);
    if (sharedStore) throw new ConfigError(`${name} ${what}: with a shared store (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES) set a value of your own`);
    defaultsUsed.push(name);
    return DEV_DEFAULTS[name];
  };
  if (env.WECHAT_REQUIRE_ENCRYPTION?.trim()) {
    throw new ConfigError('WECHAT_REQUIRE_ENCRYPTION was removed: delete it. Plaintext pushes are now refused whenever WECHAT_ENCODING_AES_KEY is set; WECHAT_ALLOW_PLAINTEXT=true allows them during a switch-over');
  }
  if (e.METRICS_PORT === e.PORT) throw new ConfigError('METRICS_PORT must differ from PORT (metrics have a listener of their own); 0 turns it off');
  if (e.WECHAT_ENCODING_AES_KEY_PREVIOUS && !e.WECHAT_ENCODING_AES_KEY) {
    throw new ConfigError('WECHAT_ENCODING_AES_KEY_PREVIOUS is set but WECHAT_ENCODING_AES_KEY is not');
  }
  if (production && !e.REDIS_URL && !e.REDIS_SENTINELS && !e.REDIS_CLUSTER_NODES) {
    throw new ConfigError('REDIS_URL (or REDIS_SENTINELS / REDIS_CLUSTER_NODES) is required when NODE_ENV=production');
  }
  if (production && !e.PUBLIC_BASE_URL) throw new ConfigError('PUBLIC_BASE_URL is required when NODE_ENV=production');
  if (production && !e.PUBLIC_BASE_URL!.startsWith('https://')) throw new ConfigError('PUBLIC_BASE_URL must be https:// when NODE_ENV=production (face-check links carry a token)');
  if (production && !e.FACE_CHECK_PROVIDER) {
    throw new ConfigError('FACE_CHECK_PROVIDER is required when NODE_ENV=production: "tencent" (Tencent Cloud 人脸核身), or "stub" (a simulation) only knowingly');
  }
  let faceId: FaceIdConfig | null = null;
  if (e.FACE_CHECK_PROVIDER === 'tencent') {
    const missing = (['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'FACEID_RULE_ID'] as const).filter((n) => !e[n]);
    if (missing.length) throw new ConfigError(`FACE_CHECK_PROVIDER=tencent needs ${missing.join(', ')}`);
    if (production && !e.FACEID_ENDPOINT.startsWith('https://')) throw new ConfigError('FACEID_ENDPOINT must be https:// when NODE_ENV=production (requests carry an ID number and a name)');
    faceId = { secretId: e.TENCENTCLOUD_SECRET_ID!, secretKey: e.TENCENTCLOUD_SECRET_KEY!, ruleId: e.FACEID_RULE_ID!, endpoint: e.FACEID_ENDPOINT.replace(/\/+$/, '') };
  }

  const year = Number(chinaDate(now.getTime()).slice(0, 4));
  const windowStart = e.CERT_WINDOW_START ?? `${year}-03-11`;
  const windowEnd = e.CERT_WINDOW_END ?? `${windowStart.slice(0, 4)}-06-30`;
  if (windowEnd < windowStart) throw new ConfigError('CERT_WINDOW_END must not be before CERT_WINDOW_START');
  if (windowEnd.slice(0, 4) !== windowStart.slice(0, 4)) throw new ConfigError('CERT_WINDOW_START and CERT_WINDOW_END must be in the same year (the cycle)');

  // With development defaults there is no real account to talk to: the API goes to the stand-in
  // that `npm run chat` runs, so customer-service messages show up in the simulator.
  const apiBase = e.WECHAT_API_BASE ?? (!production && !e.WECHAT_APP_SECRET ? DEV_API_BASE : 'https://api.weixin.qq.com');

  const redis = redisOf(e);

  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    metrics: e.METRICS_PORT === 0 ? null : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    pushReadTimeoutMs: e.PUSH_READ_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    wechat: {
      token: required('WECHAT_TOKEN'),
      appId: required('WECHAT_APP_ID'),
      appSecret: required('WECHAT_APP_SECRET'),
      aesKeys: [e.WECHAT_ENCODING_AES_KEY, e.WECHAT_ENCODING_AES_KEY_PREVIOUS].filter((k): k is string => !!k),
      allowPlaintext: e.WECHAT_ALLOW_PLAINTEXT === 'true',
      apiBase: apiBase.replace(/\/+$/, ''),
      tokenMode: e.WECHAT_TOKEN_MODE,
      apiTimeoutMs: e.WECHAT_API_TIMEOUT_MS,
    },
    redis,
    cert: {
      windowStart,
      windowEnd,
      cycle: Number(windowStart.slice(0, 4)),
      followsClock: !e.CERT_WINDOW_START && !e.CERT_WINDOW_END,
      dialogueIdleMs: Math.round(e.DIALOGUE_IDLE_MINUTES * 60_000),
      faceCheckTokenMs: Math.round(e.FACE_CHECK_TOKEN_MINUTES * 60_000),
    },
    replyCacheMs: e.REPLY_CACHE_SECONDS * 1000,
    idHashSecret: required('ID_HASH_SECRET'),
    idLookupsPerDay: e.ID_LOOKUPS_PER_DAY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    faceCheckProvider: e.FACE_CHECK_PROVIDER ?? 'stub',
    records: { publicKey: e.RECORDS_PUBLIC_KEY?.trim() ?? null, retentionMs: e.RECORDS_RETENTION_DAYS * 24 * 3600_000 },
    outbox: { attempts: e.OUTBOX_RETRY_ATTEMPTS, firstRetryMs: e.OUTBOX_RETRY_FIRST_MS },
    reminders: { daysBeforeEnd: e.REMINDER_DAYS_BEFORE_END, hour: e.REMINDER_HOUR, templateId: e.REMINDER_TEMPLATE_ID ?? null, sendsPerSecond: e.REMINDER_SENDS_PER_SECOND },
    admin: e.ADMIN_USERS?.length
      ? { users: e.ADMIN_USERS, sessionMs: Math.round(e.ADMIN_SESSION_MINUTES * 60_000), lockoutMs: Math.round(e.ADMIN_LOCKOUT_MINUTES * 60_000) }
      : null,
    faceId,
    faceCheckMaxAttempts: e.FACE_CHECK_MAX_ATTEMPTS,
    defaultsUsed,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
