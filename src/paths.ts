import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project's root, found from this file whether it runs from src/ (tests) or dist/src/ (built). */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot(__dirname);
export const TEMPLATES_DIR = path.join(ROOT, 'templates');
export const MENUS_DIR = path.join(ROOT, 'menus');
