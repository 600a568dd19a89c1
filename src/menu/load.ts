import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MENUS_DIR } from '../paths';
import type { MenuBody } from '../wechat-api/types';
import { formatMenuProblems, validateMenu, type MenuProblem } from './validate';

/** The account's menu, as the body of WeChat's `menu/create`. */
export const MENU_FILE = path.join(MENUS_DIR, 'menu.json');

/** The menu file cannot be read, is not JSON, or breaks a limit; the message names each problem. */
export class MenuFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly problems: readonly MenuProblem[] = [],
  ) {
    super(message);
    this.name = 'MenuFileError';
  }
}

/** Reads, parses and validates a menu file; the result is exactly the file's content. */
export function loadMenu(file: string = MENU_FILE, handledKeys?: ReadonlySet<string>): MenuBody {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MenuFileError(file, `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new MenuFileError(file, `${file}: is not valid JSON (${(err as Error).message})`);
  }
  const check = validateMenu(parsed, handledKeys);
  if (!check.ok) {
    throw new MenuFileError(file, `${file} breaks WeChat's menu limits:\n${formatMenuProblems(check.problems)}`, check.problems);
  }
  return check.menu;
}
