import request from 'supertest';
import { hashPassword } from '../../src/admin/password';
import type { TestApp } from './app';

/** A staff member of the office, and the ADMIN_USERS line that lets them in. */
export const STAFF = { name: 'zhangwei', password: 'Xincheng-2026-shebao' } as const;

/** The lowest cost the service accepts (N = 2^14), so that the lockout tests stay quick. */
const TEST_COST = { N: 2 ** 14, r: 8, p: 1 };
let line: Promise<string> | undefined;

/** Settings that turn the console on for STAFF (hashed once per test file). */
export async function adminEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  line ??= hashPassword(STAFF.password, TEST_COST).then((h) => `${STAFF.name}:${h}`);
  return { ADMIN_USERS: await line, ...extra };
}

/** A browser as supertest plays it: keeps cookies, and says where its requests come from as a browser would. */
export class Desk {
  readonly agent: ReturnType<typeof request.agent>;
  constructor(readonly t: TestApp, readonly site: 'same-origin' | 'cross-site' = 'same-origin') {
    this.agent = request.agent(t.rt.app.callback());
  }

  /** The login page, and the token its form carries. */
  async openLogin() {
    const res = await this.agent.get('/admin').set('Sec-Fetch-Site', 'none');
    const csrf = /name="csrf" value="([^"]+)"/.exec(res.text)?.[1];
    return { res, csrf };
  }

  async login(name: string = STAFF.name, password: string = STAFF.password, opts: { csrf?: string; address?: string } = {}) {
    const csrf = opts.csrf ?? (await this.openLogin()).csrf ?? '';
    let req = this.agent.post('/admin/login').type('form').set('Sec-Fetch-Site', this.site);
    if (opts.address) req = req.set('X-Forwarded-For', opts.address);
    return req.send({ username: name, password, csrf });
  }

  /** The token the dashboard's logout form carries. */
  async dashboardCsrf(): Promise<string> {
    const res = await this.agent.get('/admin');
    return /action="\/admin\/logout"[\s\S]*?name="csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
  }

  async logout(csrf?: string) {
    const token = csrf ?? (await this.dashboardCsrf());
    return this.agent.post('/admin/logout').type('form').set('Sec-Fetch-Site', this.site).send({ csrf: token });
  }

  summary() {
    return this.agent.get('/admin/api/summary').set('Accept', 'application/json');
  }
}
