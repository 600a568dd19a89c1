import { isMenuParent, type MenuBody, type MenuLeaf, type MenuParent } from '../../wechat-api/types';

/**
 * The menu bar at the bottom of a WeChat chat, as state: which sub-menu is open, if any. Tapping a
 * parent only opens its sub-menu (WeChat sends nothing); tapping a leaf acts and closes it.
 */
export interface MenuNav {
  /** Index of the open parent in `menu.button`, or null. */
  readonly open: number | null;
}

export type Press =
  | { readonly kind: 'opened'; readonly nav: MenuNav; readonly parent: MenuParent }
  | { readonly kind: 'closed'; readonly nav: MenuNav }
  | { readonly kind: 'leaf'; readonly nav: MenuNav; readonly leaf: MenuLeaf; readonly path: string }
  | { readonly kind: 'none'; readonly nav: MenuNav; readonly why: string };

export const CLOSED: MenuNav = { open: null };

/** Taps button `n` (1-based) of the bar, or of the open sub-menu; 0 closes the sub-menu. */
export function press(menu: MenuBody, nav: MenuNav, n: number): Press {
  const open = nav.open === null ? undefined : menu.button[nav.open];
  if (open && isMenuParent(open)) {
    if (n === 0) return { kind: 'closed', nav: CLOSED };
    const leaf = open.sub_button[n - 1];
    if (!leaf) return { kind: 'none', nav, why: `「${open.name}」只有 ${open.sub_button.length} 项 (no item ${n})` };
    return { kind: 'leaf', nav: CLOSED, leaf, path: `${open.name} › ${leaf.name}` };
  }
  const button = menu.button[n - 1];
  if (!button) return { kind: 'none', nav: CLOSED, why: `菜单只有 ${menu.button.length} 个按钮 (no button ${n})` };
  if (isMenuParent(button)) return { kind: 'opened', nav: { open: n - 1 }, parent: button };
  return { kind: 'leaf', nav: CLOSED, leaf: button, path: button.name };
}

/** Whether a sub-menu is open: then a bare number taps its item, as a finger would. */
export const subMenuOpen = (menu: MenuBody, nav: MenuNav): boolean => {
  const open = nav.open === null ? undefined : menu.button[nav.open];
  return !!open && isMenuParent(open);
};

/**
 * The bar as one line, `[1 社保服务 ▸]  [2 常见问题]  [3 咨询帮助 ▸]`, with the open sub-menu under
 * it, each item with the command that taps it (`/3.1`, or its number alone while it is open).
 */
export function menuBar(menu: MenuBody, nav: MenuNav): string[] {
  const bar = menu.button.map((b, i) => `[${i + 1} ${b.name}${isMenuParent(b) ? ' ▸' : ''}]`).join('  ');
  const open = nav.open === null ? undefined : menu.button[nav.open];
  if (!open || !isMenuParent(open)) return [`菜单 menu: ${bar}`];
  const items = open.sub_button.map((s, j) => `[/${nav.open! + 1}.${j + 1} ${s.name}]`).join('  ');
  return [`菜单 menu: ${bar}`, `  ${open.name} ▸ ${items}   [/0 收起 close]  (1–${open.sub_button.length} taps an item while this is open)`];
}
