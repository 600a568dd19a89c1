/** The account's menu: loading `menus/menu.json` and checking it against WeChat's limits and the backend's click keys. */
export { leafAction, menuOutline } from './outline';
export { loadMenu, MENU_FILE, MenuFileError } from './load';
export { ALLOWED_BUTTON_TYPES, formatMenuProblems, MENU_LIMITS, validateMenu, type MenuCheck, type MenuProblem } from './validate';
