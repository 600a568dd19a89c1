import { assertNever } from '../never';
import { isMenuParent, type MenuBody, type MenuButton, type MenuLeaf } from '../wechat-api/types';

/** What a leaf does, in a few words: `click CERT_START`, `view https://…`. */
export function leafAction(b: MenuLeaf): string {
  switch (b.type) {
    case 'click':
      return `click ${b.key}`;
    case 'view':
    case 'miniprogram':
      return `${b.type} ${b.url}`;
    case 'article_id':
    case 'article_view_limited':
      return `${b.type} ${b.article_id}`;
    default:
      return assertNever(b);
  }
}

/** A sub-menu opens; a leaf acts. */
const shown = (b: MenuButton): string => (isMenuParent(b) ? `${b.name} ▸` : b.name);

/** The menu as numbered lines (`1 社保服务 ▸`, `  1.1 待遇资格认证  [click CERT_START]`). */
export function menuOutline(menu: MenuBody, opts: { actions?: boolean } = {}): string[] {
  const act = (b: MenuButton) => (opts.actions && !isMenuParent(b) ? `  [${leafAction(b)}]` : '');
  return menu.button.flatMap((b, i) => [
    `${i + 1} ${shown(b)}${act(b)}`,
    ...(isMenuParent(b) ? b.sub_button.map((s, j) => `    ${i + 1}.${j + 1} ${s.name}${act(s)}`) : []),
  ]);
}
