import { prefetch, respond } from '../../src/dialogue/respond';
import type { PreCtx } from '../../src/dialogue/types';
import { tokenHash, type CertMark } from '../../src/store/layout';
import { person } from '../helpers/certify';
import { ctxAt, keysOf, NOW, said, text, walk } from '../helpers/core';

/**
 * The core as a pure function: (state, input, ctx) → (state, reply, writes, effects), with no
 * HTTP, no store and no clock. Each step is driven directly; the outcome is data.
 */
const p = person();
const atConfirm = () => walk(['认证', '1', '1', p.id, p.name, p.phone]).state;

describe('the core, step by step', () => {
  it('starts with the notice on 认证 and asks for the category once it is acknowledged', () => {
    const a = respond(null, text('认证'), ctxAt());
    expect(a.state?.dialogue?.step).toBe('notice');
    expect(keysOf(a)).toEqual(['notice']);
    const b = respond(a.state, text('1'), ctxAt());
    expect(b.state).toMatchObject({ acknowledged: true, dialogue: { step: 'category' } });
    expect(keysOf(b)).toEqual(['categoryPrompt']);
  });

  it('moves category → ID → name → phone → confirmation, keeping each answer', () => {
    const { state, last } = walk(['认证', '1', '2', p.id, p.name, p.phone]);
    expect(state?.dialogue).toEqual({ step: 'confirm', draft: { category: 1, id: p.id, name: p.name, phone: p.phone } });
    expect(keysOf(last)).toEqual(['confirmPrompt']);
    expect(said(last)).toContain('工伤资格认证');
  });

  it('asks for the ID number the person has, counting the lookup as a write, and reads the person’s mark first', () => {
    const at = walk(['认证', '1', '1']).state;
    const pre: PreCtx = ctxAt();
    expect(prefetch(at, text(p.id), pre)).toEqual([{ type: 'mark', personKey: `pk:${p.id}` }, { type: 'lookups' }]);
    const out = respond(at, text(p.id), ctxAt({ known: { marks: new Map(), lookups: 1 } }));
    // The person's keyed hash also goes to the reminders: a follower who stops now is reminded before the end.
    expect(out.writes).toEqual([{ type: 'lookups', day: '2026-04-15', count: 2 }, { type: 'began', personKey: `pk:${p.id}` }]);
    expect(out.state?.dialogue?.step).toBe('name');
  });

  it('refuses a further person once the day’s lookups are used up, keeping what was entered', () => {
    const at = walk(['认证', '1', '1']).state;
    const out = respond(at, text(p.id), ctxAt({ known: { marks: new Map(), lookups: 3 } }));
    expect(out.state).toEqual(at);
    expect(out.writes).toEqual([]);
    expect(said(out)).toContain('一天最多为 3 位老人');
  });

  it('issues the link on 1 at the confirmation as data: the link record is a write, the counter an effect, the entries kept for a retry', () => {
    const out = respond(atConfirm(), text('1'), ctxAt());
    expect(out.state?.dialogue).toEqual({
      step: 'linked',
      // Kept (the state is sealed at rest) until the face check passed, so a failed one is retried with one message.
      draft: { category: 0, id: p.id, name: p.name, phone: p.phone },
      // The hash of the token, to find the link again; never the token, which opens it.
      masked: { name: '乌***格', id: `${p.id.slice(0, 4)}**********${p.id.slice(-4)}`, link: tokenHash('T0KEN') },
    });
    expect(out.writes).toEqual([
      { type: 'link', token: 'T0KEN', record: expect.objectContaining({ idNumber: p.id, name: p.name, phone: p.phone, status: 'issued', expiresAt: NOW + 15 * 60_000 }) },
      { type: 'began', personKey: `pk:${p.id}`, maskedName: '乌***格' },
    ]);
    expect(out.effects).toEqual([{ type: 'linkIssued', category: '养老资格认证' }]);
    expect(said(out)).toContain('https://x.test/face-check/T0KEN');
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('tells the phone that certified a person “already certified” right after the ID number', () => {
    const mark: CertMark = { maskedId: 'm', category: '养老资格认证', date: '2026-04-01', certifiedAt: '', result: 'pass', by: 'tag_core', nameKey: `nk:${p.id}|${p.name}` };
    const at = walk(['认证', '1', '1']).state;
    const out = respond(at, text(p.id), ctxAt({ known: { marks: new Map([[`pk:${p.id}`, mark]]), lookups: 0 } }));
    expect(out.state?.dialogue?.step).toBe('certified');
    expect(said(out)).toContain('本认证周期已认证（2026年4月1日）');
  });

  it('tells another phone only after the matching name, and never for a wrong one', () => {
    const mark: CertMark = { maskedId: 'm', category: '养老资格认证', date: '2026-04-01', certifiedAt: '', result: 'pass', by: 'someone-else', nameKey: `nk:${p.id}|${p.name}` };
    const known = { marks: new Map([[`pk:${p.id}`, mark]]), lookups: 0 };
    const atId = walk(['认证', '1', '1']).state;
    const afterId = respond(atId, text(p.id), ctxAt({ known }));
    expect(afterId.state?.dialogue?.step).toBe('name');
    expect(respond(afterId.state, text(p.name), ctxAt({ known })).state?.dialogue?.step).toBe('certified');
    expect(respond(afterId.state, text('张三丰'), ctxAt({ known })).state?.dialogue?.step).toBe('phone');
  });

  it('answers a question mid-dialogue and asks the step again, changing nothing', () => {
    const at = walk(['认证', '1', '1']).state;
    const out = respond(at, text('每年认证几次'), ctxAt());
    expect(out.state).toEqual(at);
    expect(keysOf(out)).toEqual(['faq:how-often', 'reask', 'idPrompt']);
  });

  it('goes one step back on 返回 and leaves on 退出, keeping only the acknowledgement', () => {
    const at = atConfirm();
    expect(respond(at, text('返回'), ctxAt()).state?.dialogue?.step).toBe('phone');
    expect(respond(at, text('退出'), ctxAt()).state).toEqual({ v: 1, acknowledged: true });
  });

  it('says 未到认证周期 before the window and adds the suspension note after it', () => {
    const before = respond(null, text('认证'), ctxAt({}, Date.parse('2026-02-01T10:00:00+08:00')));
    expect(before.state?.dialogue).toBeUndefined();
    expect(keysOf(before)).toEqual(['notYetOpen']);
    const after = respond(null, text('认证'), ctxAt({}, Date.parse('2026-12-01T10:00:00+08:00')));
    expect(keysOf(after)).toEqual(['afterWindow', 'notice']);
  });

  it('starts the next person at the category on 1 after a link', () => {
    const linked = respond(atConfirm(), text('1'), ctxAt()).state;
    expect(respond(linked, text('1'), ctxAt()).state).toEqual({ v: 1, acknowledged: true, dialogue: { step: 'category', draft: {} } });
  });

  it('puts the time-out note before the answer of a follower whose dialogue expired', () => {
    const out = respond(null, text('每年认证几次'), ctxAt({ expired: true }));
    expect(keysOf(out)[0]).toBe('expired');
  });

  it('forgets the follower on unsubscribe and says nothing to silent events', () => {
    expect(respond(atConfirm(), { kind: 'unsubscribe' }, ctxAt())).toEqual({ state: null, reply: { silent: true }, writes: [{ type: 'reminders', change: 'unfollowed' }], effects: [] });
    expect(respond(null, { kind: 'silent' }, ctxAt()).reply).toEqual({ silent: true });
  });

  it('is pure: the same state, input and ctx give the same outcome, and the state given is not changed', () => {
    const at = atConfirm();
    const frozen = JSON.stringify(at);
    const a = respond(at, text('1'), ctxAt());
    const b = respond(at, text('1'), ctxAt());
    expect(a).toEqual(b);
    expect(JSON.stringify(at)).toBe(frozen);
  });
});

describe('a message far longer than anyone types', () => {
  it('is refused unread at a step, which is asked again with nothing lost', () => {
    const at = walk(['认证', '1', '1']).state;
    const out = respond(at, text(`${p.id}${' '.repeat(5000)}`), ctxAt());
    expect(out.state).toEqual(at);
    expect(keysOf(out)).toEqual(['tooLong', 'reask', 'idPrompt']);
  });

  it('is refused unread outside the dialogue too', () => {
    expect(keysOf(respond(null, text('认证几次'.repeat(400)), ctxAt()))).toEqual(['tooLong']);
  });
});
