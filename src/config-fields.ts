import { z } from 'zod';

/**
 * Field validators of settings whose mistakes would otherwise surface far from the setting: a
 * URL that breaks every link, a Redis URL that fails inside the client with "Invalid URL".
 */

/** Why `s` is not an http(s) URL fit to prefix links and requests with, or null when it is. */
function webUrlProblem(s: string): string | null {
  if (!URL.canParse(s)) return 'is not a URL';
  const u = new URL(s);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must start with http:// or https://';
  if (u.username !== '' || u.password !== '') return 'must not carry a user name or password';
  // Everything is appended to it: a query or a fragment would swallow the path (and a link's token).
  if (s.includes('?') || s.includes('#')) return 'must not have a query (?…) or a fragment (#…)';
  return null;
}
/** PUBLIC_BASE_URL, WECHAT_API_BASE: an http(s) origin, with a path prefix if the proxy serves one. */
export const webUrl = z.string().superRefine((s, ctx) => {
  const problem = webUrlProblem(s);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** Checked here so that a bad URL names REDIS_URL instead of failing later with "Invalid URL". */
export const redisUrl = z.string().superRefine((s, ctx) => {
  if (!/^rediss?:\/\//.test(s)) ctx.addIssue({ code: 'custom', message: 'must start with redis:// or rediss://' });
  else if (!URL.canParse(s) || new URL(s).hostname === '') {
    ctx.addIssue({ code: 'custom', message: 'is not a valid URL (redis://[user:password@]host[:port][/db]; percent-encode special characters in a password)' });
  }
});
/** HOST, METRICS_HOST: what `server.listen` takes; a typo fails here rather than at bind time. */
export const bindHost = z.union([z.ipv4(), z.ipv6(), z.hostname()], { error: 'must be an IP address or a host name' });
