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

const REDACT = ['idNumber', 'name', 'phone', 'content', 'recognition', '*.idNumber', '*.name', '*.phone', '*.content', '*.recognition', 'secret', 'appSecret', '*.secret', 'access_token', '*.access_token'];

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
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export type { Logger };
