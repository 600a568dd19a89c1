import { hashPassword, parsePasswordHash, verifyPassword } from '../../src/admin/password';
import { ConfigError } from '../../src/config';
import { addUser, type Io } from '../../scripts/admin-add-user';
import { testConfig } from '../helpers/config';

/** Staff passwords: slow hashes in a documented format, and the command that makes ADMIN_USERS lines. */

const LOW = { N: 2 ** 14, r: 8, p: 1 };

describe('password hashes', () => {
  it('writes scrypt$N$r$p$SALT$HASH with a fresh salt, and checks a password against it', async () => {
    const a = await hashPassword('Xincheng-2026-shebao', LOW);
    const b = await hashPassword('Xincheng-2026-shebao', LOW);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    const stored = parsePasswordHash(a)!;
    expect(await verifyPassword('Xincheng-2026-shebao', stored)).toBe(true);
    expect(await verifyPassword('Xincheng-2026-shebaO', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('costs 2^15 by default', async () => {
    expect(await hashPassword('Xincheng-2026-shebao')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it.each([
    ['a cost below 2^14', 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['a cost that is no power of two', 'scrypt$20000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['a short salt', 'scrypt$16384$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['another scheme', 'bcrypt$2b$12$abcdefghijklmnopqrstuv'],
    ['a password in clear', 'hunter2'],
  ])('refuses %s', (_, s) => {
    expect(parsePasswordHash(s)).toBeNull();
  });
});

describe('ADMIN_USERS', () => {
  it('takes NAME:HASH lines separated by commas', async () => {
    const line = `zhangwei:${await hashPassword('a-password-1', LOW)}, 李芳:${await hashPassword('a-password-2', LOW)}`;
    const config = testConfig({ ADMIN_USERS: line, ADMIN_SESSION_MINUTES: '45', ADMIN_LOCKOUT_MINUTES: '20' });
    expect(config.admin?.users.map((u) => u.name)).toEqual(['zhangwei', '李芳']);
    expect(config.admin).toMatchObject({ sessionMs: 45 * 60_000, lockoutMs: 20 * 60_000 });
    expect(testConfig().admin).toBeNull();
  });

  it.each([
    ['a line without a hash', 'zhangwei'],
    ['a password in clear', 'zhangwei:hunter2hunter2'],
    ['a name with a space', 'zhang wei:scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  ])('stops start-up naming the setting for %s, without quoting it', (_, value) => {
    const load = () => testConfig({ ADMIN_USERS: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/ADMIN_USERS/);
    try {
      load();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('refuses a name listed twice', async () => {
    const h = await hashPassword('a-password-1', LOW);
    expect(() => testConfig({ ADMIN_USERS: `a:${h},a:${h}` })).toThrow(/ADMIN_USERS: a is listed twice/);
  });
});

describe('npm run admin:add-user -- NAME', () => {
  const io = (passwords: string[], interactive = false) => {
    const out: string[] = [];
    const err: string[] = [];
    const prompts: string[] = [];
    const given: Io = { out: (l) => out.push(l), err: (l) => err.push(l), interactive, readPassword: async (p) => (prompts.push(p), passwords.shift() ?? '') };
    return { given, out, err, prompts };
  };

  it('prints one NAME:HASH line that ADMIN_USERS accepts and that lets the password in', async () => {
    const { given, out, err } = io(['Xincheng-2026-shebao']);
    expect(await addUser(['zhangwei'], given)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(out[0]).not.toContain('Xincheng-2026-shebao');
    const config = testConfig({ ADMIN_USERS: out[0]! });
    expect(await verifyPassword('Xincheng-2026-shebao', config.admin!.users[0]!.hash)).toBe(true);
  });

  it('asks twice at a terminal and prints nothing when the two differ', async () => {
    const { given, out, err, prompts } = io(['Xincheng-2026-shebao', 'Xincheng-2026-shebaO'], true);
    expect(await addUser(['zhangwei'], given)).toBe(1);
    expect(prompts).toEqual(['Password: ', 'Password again: ']);
    expect(out).toEqual([]);
    expect(err.join('')).toContain('differ');
  });

  it.each([
    [['zhangwei'], ['short'], 1, 'at least 10 characters'],
    [[], [], 2, 'usage'],
    [['a', 'b'], [], 2, 'usage'],
    [['bad:name'], [], 2, 'NAME must be'],
  ])('refuses %j with a password %j (exit %i)', async (argv, passwords, code, message) => {
    const { given, out, err } = io(passwords);
    expect(await addUser(argv, given)).toBe(code);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain(message);
  });
});
