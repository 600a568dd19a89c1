import { commandWord } from '../content';
import { CLICK_KEYS } from '../menu-keys';
import { settled } from './after-link';
import { parseNumber } from './choice';
import { fill, fillNeeds } from './fill';
import { HOME, listVars, topicGroup, topicGroups, welcome, type Shown } from './lists';
import { isQuestion } from './person';
import { fieldsOf, holdsNumber, type Found } from './read-line';
import { beganWrites, consentCommand } from './reminders';
import { anyField, read } from './step-def';
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
  const note: Paragraph = [{ key: 'expired', vars: { duration: ctx.content.duration(ctx.dialogueIdleMs) } }];
  return { ...out, reply: { say: [note, ...out.reply.say] } };
}

/** What the core needs read from the store before it can answer this input. */
export function prefetch(state: FollowerState | null, input: Input, ctx: PreCtx): Need[] {
  if (input.kind !== 'text') return [];
  const d = state?.dialogue;
  if (d) return STEPS[d.step].needs?.(input.text, d, ctx) ?? [];
  const found = read(input.text, ctx);
  return startsWith(input.text, found) ? fillNeeds(found, undefined, ctx) : [];
}

/** A dialogue still holding entered data (not yet at a link or a found record): its time-out is worth telling. */
export const holdsEntries = (state: FollowerState | null): boolean => !!state?.dialogue && !STEPS[state.dialogue.step].done;

/** No answer, question or pasted line of details comes near this; a pasted article does. */
const MAX_TEXT_CHARS = 1000;
const say = (state: FollowerState, ...paragraphs: Paragraph[]): Outcome => ({ state, reply: { say: paragraphs }, writes: [], effects: [] });
const prompt = (d: Dialogue, ctx: Ctx): Line => STEPS[d.step].prompt(d, ctx);
const keep = (s: FollowerState): FollowerState => ({ v: 1, ...(s.acknowledged ? { acknowledged: true } : {}) });
const withoutChoices = ({ choices: _, ...rest }: FollowerState): FollowerState => rest;
/** An ID number, or two items of the form, outside the dialogue: someone pasting a person's line. */
const startsWith = (text: string, found: Found) => (found.id !== undefined || fieldsOf(found).length >= 2) && !isQuestion(text);

function route(s: FollowerState, input: Input, ctx: Ctx): Outcome {
  const d = s.dialogue;
  switch (input.kind) {
    case 'silent':
      return { state: s, reply: { silent: true }, writes: [], effects: [] };
    case 'unsubscribe':
      return { state: null, reply: { silent: true }, writes: [{ type: 'reminders', change: 'unfollowed' }], effects: [] };
    case 'subscribe': {
      const out = d ? say(s, [welcome(ctx)], [{ key: 'inDialogue' }, prompt(d, ctx)]) : say({ ...s, choices: [...HOME] }, [welcome(ctx)]);
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
      return d ? settled(inDialogue(s, d, input.text, ctx), d, ctx) : idle(s, input.text, ctx);
    default:
      return assertNever(input);
  }
}

/** Starts a certification, with the items of a pasted line already filled in when there are some. */
function begin(s: FollowerState, ctx: Ctx, found: Found = {}, before: Paragraph[] = []): Outcome {
  const phase = ctx.today.phase;
  if (phase === 'before') return say(keep(s), [{ key: 'notYetOpen' }]);
  const start: Dialogue = { step: s.acknowledged ? 'category' : 'notice', draft: {} };
  const f = fill(start, found, ctx, null, s.acknowledged ? undefined : 'notice');
  if ('reason' in f) return say(keep(s), [f.reason]);
  const next: FollowerState = { ...keep(s), dialogue: f.next };
  const window: Paragraph[] = phase === 'after' ? [[{ key: 'afterWindow' }]] : [];
  return { state: next, reply: { say: [...window, ...before, ...f.before, [prompt(f.next, ctx)]] }, writes: f.writes, effects: [] };
}

/** Shows a list and makes its numbers the ones that count; in the dialogue, with the way back to it. */
function show(s: FollowerState, shown: Shown): Outcome {
  const tail: Line[] = s.dialogue ? [{ key: 'resumeHint' }] : [];
  return say({ ...s, choices: [...shown.choices] }, [shown.line, ...tail]);
}

/**
 * An FAQ answer (`also`: a second one in the same reply). Outside the dialogue the list it came from
 * stays valid; inside, the step is asked again.
 */
function answer(s: FollowerState, id: string, ctx: Ctx, fromList: boolean, also?: string): Outcome {
  if (ctx.faq.answer(id) === null) return fallback(s, ctx);
  const line: Line = { faq: id, ...(also ? { also } : {}) };
  const d = s.dialogue;
  if (d) return say(withoutChoices(s), [line], [{ key: 'reask' }, prompt(d, ctx)]);
  return say(s, [line, { key: fromList && s.choices?.length ? 'answerFooterList' : 'answerFooter' }]);
}

const fallback = (s: FollowerState, ctx: Ctx): Outcome => say({ ...s, choices: [...HOME] }, [{ key: 'fallback', vars: listVars(ctx.content.home) }]);

function act(s: FollowerState, action: Action, ctx: Ctx): Outcome {
  switch (action.type) {
    case 'start':
      return s.dialogue ? say(withoutChoices(s), [prompt(s.dialogue, ctx)]) : begin(s, ctx);
    case 'topics':
      return show(s, topicGroups(ctx));
    case 'group': {
      const group = topicGroup(action.index, ctx);
      return group ? show(s, group) : show(s, topicGroups(ctx));
    }
    case 'phones':
      return answer(s, 'phone-numbers', ctx, true);
    case 'faq':
      return answer(s, action.id, ctx, true);
    default:
      return assertNever(action);
  }
}

/** A number from the list last shown, if the text is one and a list is on screen. */
function chosen(s: FollowerState, text: string, ctx: Ctx): Outcome | null {
  const n = parseNumber(text);
  if (n === null || !s.choices?.length) return null;
  const action = s.choices[n - 1];
  return action ? act(s, action, ctx) : say(s, [{ key: 'choiceOutOfRange', vars: { max: String(s.choices.length) } }]);
}

/** Outside the dialogue: commands, a number from the last list, a pasted line, or a question. */
function idle(s: FollowerState, text: string, ctx: Ctx): Outcome {
  const words = ctx.content;
  if (words.is(text, 'start')) return begin(s, ctx);
  if (words.is(text, 'help')) return show(s, topicGroups(ctx));
  if (words.is(text, 'greet')) return say({ ...s, choices: [...HOME] }, [welcome(ctx)]);
  if (words.is(text, 'exit') || words.is(text, 'back')) return say({ ...s, choices: [...HOME] }, [{ key: 'nothingToExit' }]);
  const consent = consentCommand(text, ctx);
  if (consent) return { ...say(s, consent.line), writes: [consent.write] };
  const picked = chosen(s, text, ctx);
  if (picked) return picked;
  // A number with no list on screen: the list it came from is gone; the home list instead of "I cannot answer that".
  if (parseNumber(text) !== null && !ctx.expired) return say({ ...s, choices: [...HOME] }, [{ key: 'homeList', vars: listVars(ctx.content.home) }]);
  const found = read(text, ctx);
  if (startsWith(text, found)) return begin(s, ctx, found);
  // 再试一次 after the dialogue (and its data) timed out: a fresh start, saying why it asks again.
  if (words.answers.retryWords.includes(commandWord(text))) return begin(s, ctx, {}, [[{ key: 'retryGone' }]]);
  const m = ctx.faq.match(text);
  switch (m.kind) {
    case 'answer':
      return answer(s, m.id, ctx, false, m.also);
    case 'suggest':
      return say({ ...s, choices: m.options.map((t) => ({ type: 'faq', id: t.id })) }, [{ key: 'suggest', vars: listVars(m.options.map((t) => t.question)) }]);
    case 'pleasantry':
      return say(s, [{ key: 'thanks' }, { key: 'answerFooter' }]);
    case 'command':
      return m.command === 'start' ? begin(s, ctx) : m.command === 'help' ? show(s, topicGroups(ctx)) : say({ ...s, choices: [...HOME] }, [welcome(ctx)]);
    case 'vague':
    case 'none':
      // Right after a time-out the text is most likely the answer to a step that is gone: start afresh.
      if (ctx.expired) return begin(s, ctx);
      return m.kind === 'none' ? fallback(s, ctx) : say({ ...s, choices: [...HOME] }, [{ key: 'vague', vars: listVars(ctx.content.home) }]);
    default:
      return assertNever(m);
  }
}

/** Inside the dialogue: commands first, then a list on screen, the step's answer, then a question; never lose progress. */
function inDialogue(s: FollowerState, d: Dialogue, text: string, ctx: Ctx): Outcome {
  const def = STEPS[d.step];
  // The step's prompt is the last list once it is asked again: a list shown before it no longer counts.
  const again = (...before: Paragraph[]) => say(withoutChoices(s), ...before, [prompt(d, ctx)]);
  const words = ctx.content;
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
        return m.command === 'help' ? show(s, topicGroups(ctx)) : again([{ key: 'inDialogue' }]);
      case 'suggest':
      case 'vague':
      case 'none':
        return null;
      default:
        return assertNever(m);
    }
  };
  if (words.is(text, 'exit')) return say(keep(s), [{ key: 'exited' }]);
  if (words.is(text, 'back')) {
    if (!def.back) return again([{ key: 'backAtStart' }]);
    // Back to the notice is back to the start: what was entered goes.
    // Back is not a change asked for at the confirmation: the step before is reached as usual.
    const { fixing: _, ...here } = d;
    const prev: Dialogue = def.back === 'notice' ? { step: 'notice', draft: {} } : { ...here, step: def.back };
    return say({ ...withoutChoices(s), dialogue: prev }, [prompt(prev, ctx)]);
  }
  // After a failed face check the follower may send 认证 again: that must start anew, not resume the spent link.
  if (words.is(text, 'start')) return def.done ? begin(s, ctx) : again([{ key: 'inDialogue' }]);
  if (words.is(text, 'help')) return show(s, topicGroups(ctx));
  if (words.is(text, 'greet')) return again([{ key: 'inDialogue' }]);
  const consent = consentCommand(text, ctx);
  if (consent) return { ...again(consent.line), writes: [consent.write] };
  if (s.choices?.length && words.is(text, 'resume')) return again();
  const picked = chosen(s, text, ctx);
  if (picked) return picked;

  // A question typed at the name step must never become someone's name; 好的 or 退订 is no name either
  // (a specific re-ask rather than 不客气, so nobody thinks the form is done).
  if (d.step === 'name') {
    const found = read(text, ctx);
    const m: FaqMatch = found.id === undefined && found.phone === undefined ? ctx.faq.match(text) : { kind: 'none' };
    const said = m.kind === 'pleasantry' && !anyField(found) ? again([{ key: 'nameNotAName' }]) : aside(m);
    if (said) return said;
    if ((m.kind === 'suggest' || m.kind === 'vague') && !anyField(found)) return again([{ key: found.notAName ? 'nameNotAName' : 'nameInvalid' }]);
  }
  const r = def.accept(text, d, ctx);
  if ('next' in r) {
    const acknowledged = r.acknowledged ?? s.acknowledged;
    const state: FollowerState = { v: 1, dialogue: r.next, ...(acknowledged ? { acknowledged: true } : {}) };
    const reply = r.reply ?? [...(r.before ?? []), [prompt(r.next, ctx)]];
    // The reminders' entry follows a step taken, not a message answered where it stands.
    const began = r.next === d ? [] : beganWrites(d, r.next, ctx);
    return { state, reply: { say: reply }, writes: [...(r.writes ?? []), ...began], effects: r.effects ?? [] };
  }
  // A long number is an attempt at an answer: its mistake is named, not an FAQ entry that shares a word with it.
  const m: FaqMatch = holdsNumber(text) ? { kind: 'none' } : ctx.faq.match(text);
  return aside(m) ?? (r.reason ? again([r.reason]) : again());
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
      return show(s, topicGroups(ctx));
    case CLICK_KEYS.helpPhones:
      return d ? thenResume(say(s, [{ faq: 'phone-numbers' }])) : answer(s, 'phone-numbers', ctx, false);
    case CLICK_KEYS.careGuide:
      return d ? thenResume(say(s, [{ faq: 'large-print' }])) : answer(s, 'large-print', ctx, false);
    default:
      // A button of a menu published after this version (or before it): a tap deserves more than "I cannot answer that".
      if (d) return say(s, [{ key: 'unknownButton' }], [{ key: 'reask' }, prompt(d, ctx)]);
      return say({ ...s, choices: [...HOME] }, [{ key: 'unknownButton' }], [{ key: 'homeList', vars: listVars(ctx.content.home) }]);
  }
}
