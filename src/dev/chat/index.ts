/** The terminal simulator of WeChat, as a library: `scripts/chat.ts` is its readline front end. */
export { createChatSession, type ChatOptions, type ChatSession } from './session';
export { HELP, runLine, type LineResult } from './commands';
export { formatCustomerService, formatFailure, formatReply } from './format';
export { CLOSED, menuBar, press, type MenuNav, type Press } from './menu-view';
