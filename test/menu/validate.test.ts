import { validateMenu, type MenuCheck } from '../../src/menu';

const click = (name: string, key = 'CERT_START') => ({ type: 'click', name, key });
const parent = (name: string, subs: unknown[]) => ({ name, sub_button: subs });
const okMenu = () => ({ button: [parent('社保服务', [click('待遇资格认证')])] });

/** The problems, one `where: message` line each, for matching. */
const problems = (check: MenuCheck): string[] => (check.ok ? [] : check.problems.map((p) => `${p.where}: ${p.message}`));
const rejects = (menu: unknown, pattern: RegExp) => {
  const check = validateMenu(menu);
  expect(check.ok).toBe(false);
  expect(problems(check)).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
};

describe('menu validation', () => {
  it('accepts a menu within every limit', () => {
    expect(validateMenu(okMenu())).toEqual({ ok: true, menu: okMenu() });
  });

  it('rejects a menu with no top-level button', () => rejects({ button: [] }, /^menu: must have 1–3 top-level buttons, has 0/));

  it('rejects a menu with four top-level buttons', () =>
    rejects({ button: ['一', '二', '三', '四'].map((n) => click(n, 'FAQ_TOPICS')) }, /^menu: must have 1–3 top-level buttons, has 4/));

  it('rejects a parent with no sub-button', () => rejects({ button: [parent('社保服务', [])] }, /^button 1 "社保服务": must have 1–5 sub-buttons, has 0/));

  it('rejects a parent with six sub-buttons', () =>
    rejects({ button: [parent('社保服务', ['一', '二', '三', '四', '五', '六'].map((n) => click(n)))] }, /^button 1 "社保服务": must have 1–5 sub-buttons, has 6/));

  it('rejects a top-level name over 16 bytes (six Chinese characters are 18)', () =>
    rejects({ button: [click('待遇资格认证', 'CERT_START')] }, /^button 1 "待遇资格认证": name is 18 bytes; a top-level name may have at most 16/));

  it('accepts a top-level name of exactly 16 bytes', () => {
    expect(validateMenu({ button: [click('a'.repeat(16))] }).ok).toBe(true);
  });

  it('rejects a sub-button name over 60 bytes', () =>
    rejects({ button: [parent('社保服务', [click('认'.repeat(21))])] }, /^button 1\.1 "认+": name is 63 bytes; a sub-button name may have at most 60/));

  it('rejects a key over 128 bytes', () =>
    rejects({ button: [parent('社保服务', [click('待遇资格认证', 'K'.repeat(129))])] }, /^button 1\.1 "待遇资格认证": key is 129 bytes; at most 128/));

  it('rejects a url over 1024 bytes', () =>
    rejects({ button: [{ type: 'view', name: '网页', url: `https://example.org/${'a'.repeat(1005)}` }] }, /^button 1 "网页": url is 1025 bytes; at most 1024/));

  it('rejects a url that is not http(s)', () => rejects({ button: [{ type: 'view', name: '网页', url: 'javascript:alert(1)' }] }, /url must start with http/));

  it('rejects a type WeChat would send an event for that the backend does not answer', () =>
    rejects({ button: [{ type: 'scancode_push', name: '扫一扫', key: 'SCAN' }] }, /^button 1 "扫一扫": type "scancode_push" is not allowed \(allowed: click, view/));

  it('rejects a click key the backend does not handle', () =>
    rejects({ button: [parent('社保服务', [click('查询', 'BALANCE_QUERY')])] }, /^button 1\.1 "查询": click key "BALANCE_QUERY" is not handled by the backend/));

  it('rejects a click button without a key, and a view button without a url', () => {
    rejects({ button: [{ type: 'click', name: '认证' }] }, /a "click" button needs a non-empty "key"/);
    rejects({ button: [{ type: 'view', name: '网页' }] }, /a "view" button needs a non-empty "url"/);
  });

  it('rejects a nameless button', () => rejects({ button: [{ type: 'click', key: 'CERT_START' }] }, /^button 1: must have a non-empty "name"/));

  it('rejects a parent that also has a type or key (it would never fire)', () =>
    rejects({ button: [{ ...parent('社保服务', [click('认证')]), type: 'click', key: 'CERT_START' }] }, /has sub-buttons, so it fires no event and must not have "key"/));

  it('rejects a sub-button with sub-buttons of its own', () =>
    rejects({ button: [parent('社保服务', [parent('更多', [click('认证')])])] }, /^button 1\.1 "更多": a sub-button cannot have sub-buttons/));

  it('rejects a misspelt field instead of publishing it', () =>
    rejects({ button: [{ name: '社保服务', sub_buttons: [click('认证')] }] }, /unknown field "sub_buttons"/));

  it('rejects something that is not a menu at all', () => {
    rejects([], /^menu: must be a JSON object/);
    rejects({ buttons: [] }, /^menu: unknown field "buttons"/);
  });

  it('reports every problem, not only the first', () => {
    const check = validateMenu({ button: [click('待遇资格认证', 'NOPE'), click('b'.repeat(17), 'CERT_START')] });
    expect(problems(check)).toHaveLength(3);
  });
});
