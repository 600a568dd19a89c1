import { minutesOf } from '../calendar';
import { CLICK_KEYS } from '../menu-keys';
import { numbered, parseNumber } from './choice';
import { parseName } from './person';
import { beganWrites, consentCommand } from './reminders';
import { STEPS } from './steps';
import { assertNever, type Action, type Ctx, type Dialogue, type FaqMatch, type FollowerState, type Input, type Line, type Need, type Outcome, type Paragraph, type PreCtx } from './types';

/**
 * The framework-free core: (state, input) → (next state, reply, writes, effects), all plain data.
 * Pure: everything it needs from the store was read before (`prefetch`), random values come in
 * through `ctx`, and what it wants done is returned for the caller to save and run.
 */
export function respond(state: FollowerState | null, input: Input, ctx: Ctx): Outcome {
  const out = route(state ?? { v: 1 }, input, ctx);
  if (!ctx.expired || !('say' in out.reply)) return out;
  const note: Paragraph = [{ key: 'expired', vars: { minutes: minutesOf(ctx.dialogueIdleMs) } }];
  return { ...out, reply: { say: [note, ...out.reply.say] } };
}

/** What the core needs read from the store before it can answer this input. */
export function prefetch(state: FollowerState | null, input: Input, ctx: PreCtx): Need[] {
  const d = state?.dialogue;
  if (!d || input.kind !== 'text') return [];
  return STEPS[d.step].needs?.(input.text, d, ctx) ?? [];
}

/** A dialogue still holding entered data (not yet at a link or a found record): its time-out is worth telling. */
export const holdsEntries = (state: FollowerState | null): boolean => !!state?.dialogue && !STEPS[state.dialogue.step].done;

/** No answer, question or pasted line of details comes near this; a pasted article does. */
const MAX_TEXT_CHARS = 1000;
const say = (state: FollowerState, ...paragraphs: Paragraph[]): Outcome => ({ state, reply: { say: paragraphs }, writes: [], effects: [] });
const prompt = (d: Dialogue, ctx: Ctx): Line => STEPS[d.step].prompt(d, ctx);
const keep = (s: FollowerState): FollowerState => ({ v: 1, ...(s.acknowledged ? { acknowledged: true } : {}) });
const list = (items: readonly string[]) => ({ list: numbered(items) });

function route(s: FollowerState, input: Input, ctx: Ctx): Outcome {
  const d = s.dialogue;
  switch (input.kind) {
    case 'silent':
      return { state: s, reply: { silent: true }, writes: [], effects: [] };
    case 'unsubscribe':
      return { state: null, reply: { silent: true }, writes: [{ type: 'reminders', change: 'unfollowed' }], effects: [] };
    case 'subscribe': {
      const out = d ? say(s, [welcome(ctx)], [{ key: 'inDialogue' }, prompt(d, ctx)]) : say({ ...s, choices: HOME }, [welcome(ctx)]);
      return { ...out, writes: [{ type: 'reminders', change: 'followed' }] };
    }
    case 'unsupported':
    case 'voiceUnclear': {
      const line: Line = { key: input.kind };
      return d ? say(s, [line], [{ key: 'reask' }, prompt(d, ctx)]) : say(s, [line]);
    }
    case 'click':
      return click(s, input.key, ctx);
    case 'text':
      // Far longer than anything a person types: refused unread, the step asked again.
      if (input.text.length > MAX_TEXT_CHARS) return d ? say(s, [{ key: 'tooLong' }], [{ key: 'reask' }, prompt(d, ctx)]) : say(s, [{ key: 'tooLong' }]);
      return d ? inDialogue(s, d, input.text, ctx) : idle(s, input.text, ctx);
    default:
      return assertNever(input);
  }
}

const HOME: Action[] = [{ type: 'start' }, { type: 'topics' }, { type: 'phones' }];
const welcome = (ctx: Ctx): Line => ({ key: 'welcome', vars: list(ctx.content.home) });

function begin(s: FollowerState, ctx: Ctx): Outcome {
  const phase = ctx.today.phase;
  if (phase === 'before') return say(keep(s), [{ key: 'notYetOpen' }]);
  const dialogue: Dialogue = { step: s.acknowledged ? 'category' : 'notice', draft: {} };
  const next: FollowerState = { ...keep(s), dialogue };
  return phase === 'after' ? say(next, [{ key: 'afterWindow' }], [prompt(dialogue, ctx)]) : say(next, [prompt(dialogue, ctx)]);
}

function topics(s: FollowerState, ctx: Ctx): Outcome {
  const items = ctx.faq.topics();
  return say({ ...s, choices: items.map((t) => ({ type: 'faq', id: t.id })) }, [{ key: 'topics', vars: list(items.map((t) => t.question)) }]);
}

const answered = (id: string, also?: string): Paragraph => [{ faq: id, ...(also ? { also } : {}) }, { key: 'answerFooter' }];
function answer(s: FollowerState, id: string, ctx: Ctx): Outcome {
  return ctx.faq.answer(id) !== null ? say(withoutChoices(s), answered(id)) : fallback(s, ctx);
}
const withoutChoices = ({ choices: _, ...rest }: FollowerState): FollowerState => rest;

const fallback = (s: FollowerState, ctx: Ctx): Outcome => say({ ...s, choices: HOME }, [{ key: 'fallback', vars: list(ctx.content.home) }]);

function act(s: FollowerState, action: Action, ctx: Ctx): Outcome {
  switch (action.type) {
    case 'start':
      return begin(s, ctx);
    case 'topics':
      return topics(s, ctx);
    case 'phones':
      return answer(s, 'phone-numbers', ctx);
    case 'faq':
      return answer(s, action.id, ctx);
    default:
      return assertNever(action);
  }
}

/** Outside the dialogue: commands, a number from the last list, or a question. */
function idle(s: FollowerState, text: string, ctx: Ctx): Outcome {
  if (ctx.content.is(text, 'start')) return begin(s, ctx);
  if (ctx.content.is(text, 'help')) return topics(s, ctx);
  if (ctx.content.is(text, 'greet')) return say({ ...s, choices: HOME }, [welcome(ctx)]);
  if (ctx.content.is(text, 'exit') || ctx.content.is(text, 'back')) return say({ ...s, choices: HOME }, [{ key: 'nothingToExit' }]);
  const consent = consentCommand(text, ctx);
  if (consent) return { ...say(s, consent.line), writes: [consent.write] };
  const n = parseNumber(text);
  if (n !== null && s.choices?.length) {
    const action = s.choices[n - 1];
    return action ? act(s, action, ctx) : say(s, [{ key: 'choiceOutOfRange', vars: { max: String(s.choices.length) } }]);
  }
  const m = ctx.faq.match(text);
  switch (m.kind) {
    case 'answer':
      return say(withoutChoices(s), answered(m.id, m.also));
    case 'suggest':
      return say({ ...s, choices: m.options.map((t) => ({ type: 'faq', id: t.id })) }, [{ key: 'suggest', vars: list(m.options.map((t) => t.question)) }]);
    case 'pleasantry':
      return say(s, [{ key: 'thanks' }, { key: 'answerFooter' }]);
    case 'command':
      return m.command === 'start' ? begin(s, ctx) : m.command === 'help' ? topics(s, ctx) : say({ ...s, choices: HOME }, [welcome(ctx)]);
    case 'vague':
    case 'none':
      // Right after a time-out the text is most likely the answer to a step that is gone: start afresh.
      if (ctx.expired) return begin(s, ctx);
      return m.kind === 'none' ? fallback(s, ctx) : say({ ...s, choices: HOME }, [{ key: 'vague', vars: list(ctx.content.home) }]);
    default:
      return assertNever(m);
  }
}

/** Inside the dialogue: commands first, then the step's answer, then a question; never lose progress. */
function inDialogue(s: FollowerState, d: Dialogue, text: string, ctx: Ctx): Outcome {
  const def = STEPS[d.step];
  const again = (...before: Paragraph[]) => say(s, ...before, [prompt(d, ctx)]);
  if (ctx.content.is(text, 'exit')) return say(keep(s), [{ key: 'exited' }]);
  if (ctx.content.is(text, 'back')) {
    if (!def.back) return again([{ key: 'backAtStart' }]);
    const prev: Dialogue = { ...d, step: def.back };
    return say({ ...s, dialogue: prev }, [prompt(prev, ctx)]);
  }
  // After a failed face check the follower is told to send 认证 again: that must start anew, not resume the spent link.
  if (ctx.content.is(text, 'start')) return def.done ? begin(s, ctx) : again([{ key: 'inDialogue' }]);
  if (ctx.content.is(text, 'help')) return again([{ key: 'helpInDialogue' }]);
  if (ctx.content.is(text, 'greet')) return again([{ key: 'inDialogue' }]);
  const consent = consentCommand(text, ctx);
  if (consent) return { ...again(consent.line), writes: [consent.write] };

  // What the FAQ makes of a text that is not the step's answer: a question is answered, a thank-you
  // acknowledged, a command said in a sentence obeyed — then the step is asked again.
  const aside = (m: FaqMatch): Outcome | null => {
    switch (m.kind) {
      case 'answer':
        return again([{ faq: m.id, ...(m.also ? { also: m.also } : {}) }], [{ key: 'reask' }]);
      case 'pleasantry':
        return again([{ key: 'thanks' }], [{ key: 'reask' }]);
      case 'command':
        if (m.command === 'start' && def.done) return begin(s, ctx);
        return again([{ key: m.command === 'help' ? 'helpInDialogue' : 'inDialogue' }]);
      case 'suggest':
      case 'vague':
      case 'none':
        return null;
      default:
        return assertNever(m);
    }
  };
  // A question typed at the name step must never become someone's name.
  if (d.step === 'name') {
    const m = ctx.faq.match(text);
    const said = aside(m);
    if (said) return said;
    if ((m.kind === 'suggest' || m.kind === 'vague') && !parseName(text).ok) return again([{ key: 'nameInvalid' }]);
  }
  const r = def.accept(text, d, ctx);
  if ('next' in r) {
    const acknowledged = r.acknowledged ?? s.acknowledged;
    const state: FollowerState = { v: 1, dialogue: r.next, ...(acknowledged ? { acknowledged: true } : {}) };
    return { state, reply: { say: r.reply ?? [[prompt(r.next, ctx)]] }, writes: [...(r.writes ?? []), ...beganWrites(d, r.next, ctx)], effects: r.effects ?? [] };
  }
  return aside(ctx.faq.match(text)) ?? (r.reason ? again([r.reason]) : say(s, [prompt(d, ctx)]));
}

function click(s: FollowerState, key: string, ctx: Ctx): Outcome {
  const d = s.dialogue;
  const thenResume = (o: Outcome): Outcome => (d && 'say' in o.reply ? say(s, ...o.reply.say, [{ key: 'reask' }, prompt(d, ctx)]) : o);
  switch (key) {
    case CLICK_KEYS.certStart:
      return d && !STEPS[d.step].done ? say(s, [{ key: 'inDialogue' }, prompt(d, ctx)]) : begin(s, ctx);
    case CLICK_KEYS.certNotice:
      return thenResume(say(s, [{ key: 'noticeOnly' }]));
    case CLICK_KEYS.faqTopics:
      return d ? say(s, [{ key: 'helpInDialogue' }], [prompt(d, ctx)]) : topics(s, ctx);
    case CLICK_KEYS.helpPhones:
      return thenResume(answer(s, 'phone-numbers', ctx));
    case CLICK_KEYS.careGuide:
      return thenResume(answer(s, 'large-print', ctx));
    default:
      return thenResume(fallback(s, ctx));
  }
}
