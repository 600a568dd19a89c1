import { readFileSync } from 'node:fs';
import { HANDLED_CLICK_KEYS } from '../../src/menu-keys';
import { loadMenu, MENU_FILE, validateMenu } from '../../src/menu';
import { isMenuParent, type MenuLeaf } from '../../src/wechat-api';

describe('the shipped menu (menus/menu.json)', () => {
  const menu = loadMenu();
  const leaves: MenuLeaf[] = menu.button.flatMap((b) => (isMenuParent(b) ? [...b.sub_button] : [b]));

  it('is within WeChat’s limits and uses only handled click keys', () => {
    expect(validateMenu(JSON.parse(readFileSync(MENU_FILE, 'utf8')))).toMatchObject({ ok: true });
  });

  it('has a top-level 社保服务 whose sub-buttons include the click 待遇资格认证 that starts the dialogue', () => {
    const service = menu.button.find((b) => b.name === '社保服务');
    expect(service && isMenuParent(service) ? service.sub_button : []).toContainEqual({ type: 'click', name: '待遇资格认证', key: 'CERT_START' });
  });

  it('offers every answer the backend has: notice, FAQ, phone numbers and large-print guidance', () => {
    const keys = leaves.flatMap((b) => (b.type === 'click' ? [b.key] : []));
    expect(new Set(keys)).toEqual(new Set(HANDLED_CLICK_KEYS));
  });

  it('links to nothing outside (no url that cannot be verified here)', () => {
    expect(leaves.filter((b) => b.type !== 'click')).toEqual([]);
  });
});
