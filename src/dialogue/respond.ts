import { CLICK_KEYS } from '../menu-keys';
import { parseName } from './person';
import { numbered, parseNumber } from './choice';
import { STEPS } from './steps';
import type { Action, Ctx, Dialogue, FaqMatch, FollowerState, Input, Outcome, ReplyPlan } from './types';

/**
 * The framework-free core: (state, input) → (next state, reply, effects). Pure: everything it needs
 * from the store was read before (`prefetch`), and what it wants done is returned as effects.
 */
export function respond(state: FollowerState | null, input: Input, ctx: Ctx): Outcome {
  const out = route(state ?? { v: 1 }, input, ctx);
  if (!ctx.expired || !('text' in out.reply)) return out;
  const note = ctx.content.text('expired', { minutes: String(Math.round(ctx.cert.dialogueIdleMs / 60_000)) });
  return { ...out, reply: { text: `${note}\n\n${out.reply.text}` } };
}

/** Keys the core needs read from the store before it can answer this input. */
export function prefetch(state: FollowerState | null, input: Input, ctx: Ctx): string[] {
  const d = state?.dialogue;
  if (!d || input.kind !== 'text') return [];
  return STEPS[d.step].prefetch?.(input.text, d, ctx) ?? [];
}

/** A dialogue still holding entered data (not yet at a link or a found record): its time-out is worth telling. */
export const holdsEntries = (state: FollowerState | null): boolean => !!state?.dialogue && !STEPS[state.dialogue.step].done;

const SEP = '\n\n';
const say = (state: FollowerState, text: string): Outcome => ({ state, reply: { text }, effects: [] });
const prompt = (d: Dialogue, ctx: Ctx) => STEPS[d.step].prompt(d, ctx);
const footed = (answer: string, ctx: Ctx) => `${answer}\n${ctx.content.text('answerFooter')}`;

function route(s: FollowerState, input: Input, ctx: Ctx): Outcome {
  const d = s.dialogue;
  switch (input.kind) {
    case 'silent':
      return { state: s, reply: { silent: true }, effects: [] };
    case 'unsubscribe':
      return { state: null, reply: { silent: true }, effects: [] };
    case 'subscribe':
      return d ? say(s, `${welcome(ctx)}${SEP}${ctx.content.text('inDialogue')}\n${prompt(d, ctx)}`) : say({ v: 1, choices: HOME }, welcome(ctx));
    case 'unsupported':
    case 'voiceUnclear': {
      const text = ctx.content.text(input.kind === 'unsupported' ? 'unsupported' : 'voiceUnclear');
      return d ? say(s, `${text}${SEP}${ctx.content.text('reask')}\n${prompt(d, ctx)}`) : say(s, text);
    }
    case 'click':
      return click(s, input.key, ctx);
    case 'text':
      return d ? inDialogue(s, d, input.text, ctx) : idle(s, input.text, ctx);
  }
}

const HOME: readonly Action[] = [{ type: 'start' }, { type: 'topics' }, { type: 'phones' }];

function begin(s: FollowerState, ctx: Ctx): Outcome {
  const { windowStart, windowEnd } = ctx.cert;
  if (ctx.today < windowStart) return say({ v: 1, ...(s.acknowledged ? { acknowledged: true } : {}) }, ctx.content.text('notYetOpen'));
  const dialogue: Dialogue = { step: s.acknowledged ? 'category' : 'notice', draft: {} };
  const late = ctx.today > windowEnd ? `${ctx.content.text('afterWindow')}${SEP}` : '';
  return say({ v: 1, dialogue, ...(s.acknowledged ? { acknowledged: true } : {}) }, `${late}${prompt(dialogue, ctx)}`);
}

function topics(s: FollowerState, ctx: Ctx): Outcome {
  const list = ctx.faq.topics();
  return say({ ...s, choices: list.map((t) => ({ type: 'faq', id: t.id })) }, ctx.content.text('topics', { list: numbered(list.map((t) => t.question)) }));
}

function answer(s: FollowerState, id: string, ctx: Ctx): Outcome {
  const text = ctx.faq.answer(id);
  return text ? say({ ...s, choices: undefined }, footed(text, ctx)) : fallback(s, ctx);
}

const fallback = (s: FollowerState, ctx: Ctx): Outcome => say({ ...s, choices: HOME }, ctx.content.text('fallback', { list: numbered(ctx.content.home) }));
const welcome = (ctx: Ctx) => ctx.content.text('welcome', { list: numbered(ctx.content.home) });

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
  }
}

/** Outside the dialogue: commands, a number from the last list, or a question. */
function idle(s: FollowerState, text: string, ctx: Ctx): Outcome {
  if (ctx.content.is(text, 'start')) return begin(s, ctx);
  if (ctx.content.is(text, 'help')) return topics(s, ctx);
  if (ctx.content.is(text, 'greet')) return say({ ...s, choices: HOME }, welcome(ctx));
  if (ctx.content.is(text, 'exit') || ctx.content.is(text, 'back')) return say({ ...s, choices: HOME }, ctx.content.text('nothingToExit'));
  const n = parseNumber(text);
  if (n !== null && s.choices?.length) {
    const action = s.choices[n - 1];
    return action ? act(s, action, ctx) : say(s, ctx.content.text('choiceOutOfRange', { max: String(s.choices.length) }));
  }
  const m = ctx.faq.match(text);
  switch (m.kind) {
    case 'answer':
      return say({ ...s, choices: undefined }, footed(m.text, ctx));
    case 'suggest':
      return say({ ...s, choices: m.options.map((t) => ({ type: 'faq', id: t.id })) }, ctx.content.text('suggest', { list: numbered(m.options.map((t) => t.question)) }));
    case 'pleasantry':
      return say(s, footed(ctx.content.text('thanks'), ctx));
    case 'command':
      return m.command === 'start' ? begin(s, ctx) : m.command === 'help' ? topics(s, ctx) : say({ ...s, choices: HOME }, welcome(ctx));
    case 'vague':
    case 'none':
      // Right after a time-out the text is most likely the answer to a step that is gone: start afresh.
      if (ctx.expired) return begin(s, ctx);
      return m.kind === 'none' ? fallback(s, ctx) : say({ ...s, choices: HOME }, ctx.content.text('vague', { list: numbered(ctx.content.home) }));
  }
}

/** Inside the dialogue: commands first, then the step's answer, then a question; never lose progress. */
function inDialogue(s: FollowerState, d: Dialogue, text: string, ctx: Ctx): Outcome {
  const def = STEPS[d.step];
  const again = (before: string) => say(s, `${before}${SEP}${prompt(d, ctx)}`);
  if (ctx.content.is(text, 'exit')) return say({ v: 1, ...(s.acknowledged ? { acknowledged: true } : {}) }, ctx.content.text('exited'));
  if (ctx.content.is(text, 'back')) {
    if (!def.back) return again(ctx.content.text('backAtStart'));
    const prev: Dialogue = { ...d, step: def.back };
    return say({ ...s, dialogue: prev }, prompt(prev, ctx));
  }
  // After a failed face check the follower is told to send 认证 again: that must start anew, not resume the spent link.
  if (ctx.content.is(text, 'start')) return def.done ? begin(s, ctx) : again(ctx.content.text('inDialogue'));
  if (ctx.content.is(text, 'help')) return again(ctx.content.text('helpInDialogue'));
  if (ctx.content.is(text, 'greet')) return again(ctx.content.text('inDialogue'));

  // What the FAQ makes of a text that is not the step's answer: a question is answered, a thank-you
  // acknowledged, a command said in a sentence obeyed — then the step is asked again.
  const aside = (m: FaqMatch): Outcome | null => {
    switch (m.kind) {
      case 'answer':
        return again(`${m.text}${SEP}${ctx.content.text('reask')}`);
      case 'pleasantry':
        return again(`${ctx.content.text('thanks')}${SEP}${ctx.content.text('reask')}`);
      case 'command':
        if (m.command === 'start' && def.done) return begin(s, ctx);
        return again(ctx.content.text(m.command === 'help' ? 'helpInDialogue' : 'inDialogue'));
      case 'suggest':
      case 'vague':
      case 'none':
        return null;
    }
  };
  // A question typed at the name step must never become someone's name.
  if (d.step === 'name') {
    const m = ctx.faq.match(text);
    const said = aside(m);
    if (said) return said;
    if ((m.kind === 'suggest' || m.kind === 'vague') && !parseName(text).ok) return again(ctx.content.text('nameInvalid'));
  }
  const r = def.accept(text, d, ctx);
  if ('next' in r) {
    const acknowledged = r.acknowledged ?? s.acknowledged;
    const state: FollowerState = { v: 1, dialogue: r.next, ...(acknowledged ? { acknowledged: true } : {}) };
    const reply: ReplyPlan = r.reply ?? { text: prompt(r.next, ctx) };
    return { state, reply, effects: r.effects ?? [] };
  }
  return aside(ctx.faq.match(text)) ?? (r.reason ? again(r.reason) : say(s, prompt(d, ctx)));
}

function click(s: FollowerState, key: string, ctx: Ctx): Outcome {
  const d = s.dialogue;
  const thenResume = (o: Outcome): Outcome =>
    d && 'text' in o.reply ? say(s, `${o.reply.text}${SEP}${ctx.content.text('reask')}\n${prompt(d, ctx)}`) : o;
  switch (key) {
    case CLICK_KEYS.certStart:
      return d && !STEPS[d.step].done ? say(s, `${ctx.content.text('inDialogue')}\n${prompt(d, ctx)}`) : begin(s, ctx);
    case CLICK_KEYS.certNotice:
      return thenResume(say(s, ctx.content.text('noticeOnly')));
    case CLICK_KEYS.faqTopics:
      return d ? say(s, `${ctx.content.text('helpInDialogue')}${SEP}${prompt(d, ctx)}`) : topics(s, ctx);
    case CLICK_KEYS.helpPhones:
      return thenResume(answer(s, 'phone-numbers', ctx));
    case CLICK_KEYS.careGuide:
      return thenResume(answer(s, 'large-print', ctx));
    default:
      return thenResume(fallback(s, ctx));
  }
}
