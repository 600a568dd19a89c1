import pino, { type Logger } from 'pino';

/**
 * Personal data of old people must never reach a log in clear. Code logs no follower text on
 * purpose; as a second line of defence, every log line is scrubbed of anything shaped like an ID
 * number or a mobile number, and fields with such names are censored.
 */
const ID_LIKE = /(?<![0-9A-Za-z])\d(?:\s*\d){16}\s*[\dXx](?![0-9A-Za-z])/g;
const MOBILE_LIKE = /(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g;

export function scrub(text: string): string {
  return text.replace(ID_LIKE, '[id]').replace(MOBILE_LIKE, '[phone]');
}

/** Error messages and stacks can quote input: every string in a log line's fields is scrubbed too. */
function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (!value || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

const REDACT = ['idNumber', 'name', 'phone', 'content', 'recognition', '*.idNumber', '*.name', '*.phone', '*.content', '*.recognition', 'secret', 'appSecret', '*.secret', 'secretKey', '*.secretKey', 'access_token', '*.access_token'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: { level: (label) => ({ level: label }), log: (obj) => scrubDeep(obj) as Record<string, unknown> },
    },
    destination,
  );
}

export type { Logger };
