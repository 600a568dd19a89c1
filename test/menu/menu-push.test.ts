import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { menuPush } from '../../scripts/menu-push';
import { MENU_FILE } from '../../src/menu';
import { startFakeWechat, TEST_APP_ID, TEST_APP_SECRET, type FakeWechatApi } from '../helpers/fake-wechat';

describe('npm run menu:push', () => {
  let fake: FakeWechatApi;
  let out: string[];
  let err: string[];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const env = () => ({ NODE_ENV: 'test', WECHAT_API_BASE: fake.url, WECHAT_APP_ID: TEST_APP_ID, WECHAT_APP_SECRET: TEST_APP_SECRET });
  const badMenuFile = (menu: unknown): string => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'menu-')), 'menu.json');
    writeFileSync(file, JSON.stringify(menu));
    return file;
  };

  beforeAll(async () => {
    fake = await startFakeWechat();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    out = [];
    err = [];
  });

  it('publishes exactly the file’s body with one token fetch', async () => {
    expect(await menuPush([], env(), io)).toBe(0);
    const creates = fake.requestsTo('/cgi-bin/menu/create');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.body).toEqual(JSON.parse(readFileSync(MENU_FILE, 'utf8')));
    expect(fake.menu()).toEqual(JSON.parse(readFileSync(MENU_FILE, 'utf8')));
    expect(fake.tokenFetches()).toBe(1);
    expect(out.join('\n')).toContain('待遇资格认证');
  });

  it('with --dry-run validates the shipped menu and sends nothing', async () => {
    expect(await menuPush(['--dry-run'], env(), io)).toBe(0);
    expect(out.join('\n')).toMatch(/within WeChat's limits/);
    expect(fake.requests).toHaveLength(0);
  });

  it('names the button and the limit of a bad menu, and sends nothing', async () => {
    const file = badMenuFile({ button: [{ name: '社保服务', sub_button: [{ type: 'click', name: '待遇资格认证', key: 'NOT_HANDLED' }] }] });
    expect(await menuPush(['--file', file], env(), io)).toBe(1);
    expect(err.join('\n')).toContain('button 1.1 "待遇资格认证": click key "NOT_HANDLED" is not handled by the backend');
    expect(err.join('\n')).toContain('Nothing was sent');
    expect(fake.requests).toHaveLength(0);
  });

  it('reports a file that is not JSON', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'menu-')), 'menu.json');
    writeFileSync(file, '{ "button": [');
    expect(await menuPush(['--dry-run', '--file', file], env(), io)).toBe(1);
    expect(err.join('\n')).toMatch(/is not valid JSON/);
  });

  it('reports WeChat’s refusal with its errcode', async () => {
    fake.failNext('/cgi-bin/menu/create', 40018, 1, 'invalid button name size');
    expect(await menuPush([], env(), io)).toBe(1);
    expect(err.join('\n')).toBe('WeChat refused: errcode 40018 (invalid button name size)');
  });

  it('refuses an unknown argument', async () => {
    expect(await menuPush(['--dryrun'], env(), io)).toBe(2);
    expect(fake.requests).toHaveLength(0);
  });
});
