import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Config } from '../config';
import { windowVars } from '../calendar';
import { parseAnswers, parseTopics, type AnswerWords, type TopicGroup } from './answers';
import { TemplateError, flattenVars, render, type Vars } from './render';

export { render, renderHtml, escapeHtml, flattenVars, TemplateError, type Vars } from './render';
export { checkTopics, FIELDS, type AnswerWords, type Field, type TopicGroup } from './answers';

const text = z.string().min(1);
const MESSAGE_KEYS = [
  'busy', 'welcome', 'unsupported', 'voiceUnclear', 'tooLong', 'fallback', 'suggest', 'topics', 'answerFooter', 'choiceOutOfRange',
  'notYetOpen', 'afterWindow', 'notice', 'noticeOnly', 'noticeNotAcknowledged', 'categoryPrompt', 'categoryInvalid',
  'idPrompt', 'idInvalidLength', 'idInvalidChars', 'idInvalidDate', 'idInvalidChecksum', 'alreadyCertified',
  'lookupLimit', 'namePrompt', 'nameInvalid', 'phonePrompt', 'phoneInvalid', 'confirmPrompt', 'linkIssued', 'linkPending',
  'inDialogue', 'reask', 'backAtStart', 'exited', 'nothingToExit', 'expired', 'resultPass', 'resultFail',
  'thanks', 'vague', 'linkOpen', 'linkExpired', 'linkResultPass', 'linkResultFail', 'linkResultFailToday', 'resultFailToday',
  'remindersOff', 'remindersOn', 'reminderPromise',
  'nameNotAName', 'oneAtATime', 'received', 'receivedCategory', 'receivedId', 'receivedName', 'receivedPhone', 'whichToFix', 'updated',
  'topicGroup', 'resumeHint', 'answerFooterList', 'unknownButton', 'homeList', 'faceHelp', 'linkAck', 'retryGone',
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

const messagesSchema = z.object({
  ...Object.fromEntries(MESSAGE_KEYS.map((k) => [k, text])),
  home: z.array(text).length(3),
  categories: z.array(z.object({ name: text, hint: text })).length(5),
  durations: z.object({ seconds: text, minutes: text, hours: text }),
}) as unknown as z.ZodType<Record<MessageKey, string> & { home: string[]; categories: { name: string; hint: string }[]; durations: Durations }>;

/** Units of a duration as a follower reads it: `{{n}}分钟`. */
export interface Durations {
  readonly seconds: string;
  readonly minutes: string;
  readonly hours: string;
}

const words = z.array(z.union([z.string(), z.number()]).transform(String)).min(1);
const commandsSchema = z.object({
  start: words, help: words, greet: words, exit: words, back: words, acknowledge: words, confirm: words, redo: words, another: words, thanks: words,
  remindersOff: words, remindersOn: words, resume: words,
});
export type CommandName = keyof z.infer<typeof commandsSchema>;

/** Values filled in at reply time; a template may use only these besides the facts and the window. */
const MOMENT_VARS = ['limit', 'list', 'max', 'count', 'maskedId', 'maskedName', 'maskedPhone', 'category', 'date', 'link', 'minutes', 'until', 'idTail', 'duration', 'title', 'n'];

export interface Content {
  /** Facts and the window values in force now, which every template can use. */
  readonly vars: Vars;
  readonly categories: readonly { readonly name: string; readonly hint: string }[];
  readonly home: readonly string[];
  /** How each step reads answers (templates/answers.yaml). */
  readonly answers: AnswerWords;
  /** The 常见问题 list's groups (templates/topics.yaml); compose checks their ids against the FAQ. */
  readonly topicGroups: readonly TopicGroup[];
  /** A duration as a follower reads it: 30分钟, 3秒, 2小时. */
  duration(ms: number): string;
  /** Normalised command words (see `commandWord`). */
  readonly commands: Readonly<Record<CommandName, ReadonlySet<string>>>;
  /** Whether `text` is one of the words of `command` in templates/commands.yaml. */
  is(text: string, command: CommandName): boolean;
  /** Renders a message with the facts, the window and `moment`. */
  text(key: MessageKey, moment?: Vars): string;
}

/** Commands are compared without spaces, punctuation or case, and with full-width forms folded. */
export function commandWord(s: string): string {
  // One message (and the parts of it a step reads) is compared with a dozen word lists: its folded
  // forms are kept for the next calls, and only for a few strings, so that what a follower typed
  // is not kept beyond their message.
  let w = folded.get(s);
  if (w === undefined) {
    w = s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]+/gu, (m) => (m.trim() === '?' ? '?' : ''));
    if (folded.size >= FOLDED_MAX) folded.delete(folded.keys().next().value!);
    folded.set(s, w);
  }
  return w;
}
const folded = new Map<string, string>();
const FOLDED_MAX = 8;

/** Digits, hyphens and spaces, with an optional leading +: what a phone can dial from `tel:`. */
const PHONE_NUMBER = /^\+?[0-9][0-9 -]*[0-9]$/;

/**
 * The phone facts are dialled from the pages (`href="tel:…"`) and read out by old people: a typo
 * there (a quote, a letter, two numbers in one) stops start-up naming the fact, not a phone call.
 */
function checkPhoneFacts(facts: Vars): void {
  for (const [name, value] of Object.entries(facts)) {
    if (name.startsWith('phone.') && !PHONE_NUMBER.test(value)) {
      throw new TemplateError(`templates/facts.yaml: ${name} must be a phone number (digits, hyphens, spaces, an optional leading +), not ${JSON.stringify(value)}`);
    }
  }
}

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TemplateError(`${file}: ${(err as Error).message}`);
  }
}

/**
 * Loads and checks every template once at start-up: a missing message or placeholder stops start-up.
 * `window` may be a function, so that a window that follows the clock moves to the new year.
 */
export function loadContent(dir: string, window: Config['cert'] | (() => Config['cert'])): Content {
  const facts = flattenVars(readYaml(path.join(dir, 'facts.yaml')));
  checkPhoneFacts(facts);
  const current = typeof window === 'function' ? window : () => window;
  let cached: { cycle: number; vars: Vars } | undefined;
  const varsNow = (): Vars => {
    const cert = current();
    if (cached?.cycle !== cert.cycle) cached = { cycle: cert.cycle, vars: Object.freeze({ ...facts, ...windowVars(cert) }) };
    return cached.vars;
  };
  const vars = varsNow();
  const m = messagesSchema.safeParse(readYaml(path.join(dir, 'messages.yaml')));
  if (!m.success) throw new TemplateError(`templates/messages.yaml: ${m.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const c = commandsSchema.safeParse(readYaml(path.join(dir, 'commands.yaml')));
  if (!c.success) throw new TemplateError(`templates/commands.yaml: ${c.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const messages = m.data;
  const answers = parseAnswers(readYaml(path.join(dir, 'answers.yaml')), commandWord, messages.categories.map((c) => c.name));
  const topicGroups = parseTopics(readYaml(path.join(dir, 'topics.yaml')));
  for (const [unit, t] of Object.entries(messages.durations)) render(t, { n: '1' }, `templates/messages.yaml durations.${unit}`);

  const probe = Object.fromEntries(MOMENT_VARS.map((v) => [v, 'x']));
  for (const key of MESSAGE_KEYS) render(messages[key], { ...vars, ...probe }, `templates/messages.yaml ${key}`);

  const commands = Object.fromEntries(
    Object.entries(c.data).map(([name, list]) => [name, new Set(list.map(commandWord))]),
  ) as unknown as Record<CommandName, ReadonlySet<string>>;

  return Object.freeze({
    get vars() {
      return varsNow();
    },
    categories: messages.categories,
    home: messages.home,
    answers,
    topicGroups,
    duration: (ms: number) => durationText(ms, messages.durations),
    commands,
    is: (text: string, command: CommandName) => commands[command].has(commandWord(text)),
    text: (key: MessageKey, moment: Vars = {}) => render(messages[key], { ...varsNow(), ...moment }, key),
  });
}

/**
 * Whole minutes for anything from a minute up (so a setting of 0.05 minutes does not read 0分钟),
 * seconds below, hours for whole hours.
 */
function durationText(ms: number, units: Durations): string {
  if (ms < 60_000) return render(units.seconds, { n: String(Math.max(1, Math.round(ms / 1000))) });
  const minutes = Math.round(ms / 60_000);
  if (minutes >= 60 && minutes % 60 === 0) return render(units.hours, { n: String(minutes / 60) });
  return render(units.minutes, { n: String(minutes) });
}
