import { HANDLED_CLICK_KEYS } from '../menu-keys';
import type { MenuBody } from '../wechat-api/types';

/**
 * WeChat's limits on `menu/create`, checked before anything is sent: WeChat itself only answers a
 * bare 40018, and none of the SDKs checks. On top of them, every click key must be one the backend
 * answers, so that no button can lead to silence.
 */
export const MENU_LIMITS = {
  minButtons: 1,
  maxButtons: 3,
  minSubButtons: 1,
  maxSubButtons: 5,
  topNameBytes: 16,
  subNameBytes: 60,
  keyBytes: 128,
  urlBytes: 1024,
} as const;

/** Button types this backend can publish: each either sends a click it answers, or sends nothing it must answer. */
const REQUIRED_FIELDS = {
  click: ['key'],
  view: ['url'],
  miniprogram: ['url', 'appid', 'pagepath'],
  article_id: ['article_id'],
  article_view_limited: ['article_id'],
} as const;
type LeafType = keyof typeof REQUIRED_FIELDS;
export const ALLOWED_BUTTON_TYPES: readonly string[] = Object.keys(REQUIRED_FIELDS);

const KNOWN_FIELDS = new Set(['name', 'type', 'key', 'url', 'appid', 'pagepath', 'article_id', 'media_id', 'sub_button']);

export interface MenuProblem {
  /** E.g. `button 1.2 "办理须知"`, or `menu` for the whole body. */
  readonly where: string;
  readonly message: string;
}

export type MenuCheck = { readonly ok: true; readonly menu: MenuBody } | { readonly ok: false; readonly problems: readonly MenuProblem[] };

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks a parsed menu file; every problem is reported, not just the first. */
export function validateMenu(input: unknown, handledKeys: ReadonlySet<string> = HANDLED_CLICK_KEYS): MenuCheck {
  const problems: MenuProblem[] = [];
  const report = (where: string, message: string) => problems.push({ where, message });

  if (!isObject(input)) return { ok: false, problems: [{ where: 'menu', message: 'must be a JSON object with a "button" list' }] };
  for (const field of Object.keys(input)) if (field !== 'button') report('menu', `unknown field "${field}" (menu/create takes only "button")`);
  const buttons = input['button'];
  if (!Array.isArray(buttons)) {
    report('menu', 'must have a "button" list');
    return { ok: false, problems };
  }
  const { minButtons, maxButtons, minSubButtons, maxSubButtons } = MENU_LIMITS;
  if (buttons.length < minButtons || buttons.length > maxButtons) {
    report('menu', `must have ${minButtons}–${maxButtons} top-level buttons, has ${buttons.length}`);
  }

  buttons.forEach((button: unknown, i) => {
    const where = label(`${i + 1}`, button);
    if (!checkCommon(button, where, MENU_LIMITS.topNameBytes, 'a top-level', report)) return;
    if (!('sub_button' in button)) return checkLeaf(button, where, handledKeys, report);
    const subs = button['sub_button'];
    for (const field of ['type', 'key', 'url', 'appid', 'pagepath', 'article_id', 'media_id']) {
      if (field in button) report(where, `has sub-buttons, so it fires no event and must not have "${field}"`);
    }
    if (!Array.isArray(subs)) return report(where, '"sub_button" must be a list');
    if (subs.length < minSubButtons || subs.length > maxSubButtons) {
      report(where, `must have ${minSubButtons}–${maxSubButtons} sub-buttons, has ${subs.length}`);
    }
    subs.forEach((sub: unknown, j) => {
      const subWhere = label(`${i + 1}.${j + 1}`, sub);
      if (!checkCommon(sub, subWhere, MENU_LIMITS.subNameBytes, 'a sub-button', report)) return;
      if ('sub_button' in sub) report(subWhere, 'a sub-button cannot have sub-buttons of its own');
      else checkLeaf(sub, subWhere, handledKeys, report);
    });
  });

  return problems.length === 0 ? { ok: true, menu: input as unknown as MenuBody } : { ok: false, problems };
}

function label(number: string, button: unknown): string {
  const name = isObject(button) && typeof button['name'] === 'string' ? ` "${button['name']}"` : '';
  return `button ${number}${name}`;
}

type Report = (where: string, message: string) => void;

function checkCommon(button: unknown, where: string, maxNameBytes: number, kind: string, report: Report): button is Record<string, unknown> {
  if (!isObject(button)) {
    report(where, 'must be a JSON object');
    return false;
  }
  for (const field of Object.keys(button)) if (!KNOWN_FIELDS.has(field)) report(where, `unknown field "${field}"`);
  const name = button['name'];
  if (typeof name !== 'string' || name.trim() === '') report(where, 'must have a non-empty "name"');
  else if (bytes(name) > maxNameBytes) report(where, `name is ${bytes(name)} bytes; ${kind} name may have at most ${maxNameBytes} (UTF-8; a Chinese character is 3)`);
  return true;
}

function checkLeaf(button: Record<string, unknown>, where: string, handledKeys: ReadonlySet<string>, report: Report): void {
  const type = button['type'];
  if (typeof type !== 'string' || !(type in REQUIRED_FIELDS)) {
    report(where, `type ${JSON.stringify(type ?? null)} is not allowed (allowed: ${ALLOWED_BUTTON_TYPES.join(', ')})`);
    return;
  }
  for (const field of REQUIRED_FIELDS[type as LeafType]) {
    const value = button[field];
    if (typeof value !== 'string' || value === '') report(where, `a "${type}" button needs a non-empty "${field}"`);
  }
  const key = button['key'];
  if (typeof key === 'string' && key !== '') {
    if (bytes(key) > MENU_LIMITS.keyBytes) report(where, `key is ${bytes(key)} bytes; at most ${MENU_LIMITS.keyBytes}`);
    if (type === 'click' && !handledKeys.has(key)) {
      report(where, `click key "${key}" is not handled by the backend (handled: ${[...handledKeys].join(', ')})`);
    }
  }
  const url = button['url'];
  if (typeof url === 'string' && url !== '') {
    if (bytes(url) > MENU_LIMITS.urlBytes) report(where, `url is ${bytes(url)} bytes; at most ${MENU_LIMITS.urlBytes}`);
    if (!/^https?:\/\//.test(url)) report(where, 'url must start with http:// or https://');
  }
}

/** One line per problem, for a terminal. */
export function formatMenuProblems(problems: readonly MenuProblem[]): string {
  return problems.map((p) => `  ${p.where}: ${p.message}`).join('\n');
}
