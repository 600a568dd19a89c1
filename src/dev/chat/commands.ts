import type { ChatSession } from './session';

/**
 * What a person types at the simulator. A line is a text message unless it starts with `/`, since
 * a follower's own "1" (choosing an option in the dialogue) must reach the server as text; only
 * while a sub-menu is open (after `/3`) does a bare number tap its item, as on a phone the open
 * sub-menu is what a finger reaches.
 */
export const HELP = [
  '输入文字即发送消息 (type a line to send it as a text message). Commands:',
  '  /menu          显示菜单 show the menu',
  '  /1  /1.1  /1 2 点击菜单按钮 tap a button (a parent opens its sub-menu; then 1, 2… tap its items; /0 closes it)',
  '  /voice 文字     发送语音(识别文字) send a voice message with this recognised text',
  '  /voice         发送语音(无识别) a voice message without recognition',
  '  /subscribe     关注 the subscribe event',
  '  /help          帮助   /quit 退出',
];

export interface LineResult {
  readonly lines: string[];
  readonly quit: boolean;
}

const TAP = /^\/(\d+)(?:[.\s]+(\d+))?$/;

export async function runLine(session: ChatSession, input: string): Promise<LineResult> {
  const line = input.trim();
  const done = (lines: string[]): LineResult => ({ lines, quit: false });
  if (line === '') return done([]);
  if (session.subMenuOpen() && /^\d$/.test(line)) return done(await session.tap(Number(line)));
  if (!line.startsWith('/')) return done(await session.say(line));

  const tap = TAP.exec(line);
  if (tap) {
    const first = await session.tap(Number(tap[1]));
    return done(tap[2] === undefined ? first : await session.tap(Number(tap[2])));
  }
  const [command = '', ...rest] = line.slice(1).split(/\s+/);
  const arg = line.slice(1 + command.length).trim();
  switch (command) {
    case 'menu':
    case 'm':
      return done(session.menuLines());
    case 'voice':
    case 'v':
      return done(await session.voice(rest.length === 0 ? undefined : arg));
    case 'subscribe':
      return done(await session.subscribe());
    case 'help':
    case 'h':
    case '?':
      return done(HELP);
    case 'quit':
    case 'q':
    case 'exit':
      return { lines: [], quit: true };
    default:
      return done([`! unknown command ${line}`, ...HELP]);
  }
}
