import type { Dialogue, FollowerState, Input, Line, Outcome } from '../../src/dialogue/types';
import { countsOf } from '../../src/stats';
import type { LinkRecord } from '../../src/store/layout';

/**
 * What one answered push adds to the counters, from the core's decision alone: the step before and
 * after, the writes and the reply's lines. Outcomes are written by hand, so these tests hold
 * whatever the steps do inside.
 */
const at = (step: Dialogue['step'], draft: Dialogue['draft'] = {}): FollowerState => ({ v: 1, dialogue: { step, draft } });
const idle: FollowerState = { v: 1 };
const text = (t: string): Input => ({ kind: 'text', text: t });
const tap: Input = { kind: 'click', key: 'CERT_START' };
const out = (state: FollowerState | null, lines: Line[] = [{ key: 'reask' }], extra: Partial<Outcome> = {}): Outcome => ({
  state, reply: { say: [lines] }, writes: [], effects: [], ...extra,
});
const record = { category: '养老资格认证' } as LinkRecord;

describe('counting a certification from the core’s decisions', () => {
  it.each([
    ['a first 认证 into the notice', null, at('notice'), { began: 1, 'step:notice': 1 }],
    ['认证 from an idle follower who acknowledged before, into the categories', idle, at('category'), { began: 1, 'step:category': 1 }],
    ['1 for another person after a link', at('linked'), at('category'), { began: 1, 'step:category': 1 }],
    ['认证 again after 本认证周期已认证', at('certified'), at('notice'), { began: 1, 'step:notice': 1 }],
    ['acknowledging the notice', at('notice'), at('category'), { 'step:category': 1 }],
    ['a category chosen', at('category'), at('id', { category: 2 }), { 'step:id': 1, 'cat:2:step:id': 1 }],
    ['an ID number accepted', at('id', { category: 0 }), at('name', { category: 0 }), { 'step:name': 1, 'cat:0:step:name': 1 }],
    ['a name accepted', at('name', { category: 0 }), at('phone', { category: 0 }), { 'step:phone': 1, 'cat:0:step:phone': 1 }],
    ['a phone accepted', at('phone', { category: 4 }), at('confirm', { category: 4 }), { 'step:confirm': 1, 'cat:4:step:confirm': 1 }],
    ['a person found already certified', at('id', { category: 1 }), at('certified'), { alreadyCertified: 1, 'cat:1:alreadyCertified': 1 }],
    ['名字不对 at the confirmation, back to the name', at('confirm', { category: 0 }), { v: 1, dialogue: { step: 'name', draft: { category: 0 }, fixing: true } }, {}],
    ['the changed name, back at the confirmation (counted once already)', { v: 1, dialogue: { step: 'name', draft: { category: 0 }, fixing: true } }, at('confirm', { category: 0 }), {}],
  ] as const)('counts %s', (_, prev, next, fields) => {
    expect(countsOf(prev, out(next), text('1'))).toEqual(fields);
  });

  it('counts a link issued, under the category the person was confirmed with', () => {
    const o = out({ v: 1, dialogue: { step: 'linked', draft: {} } }, [{ key: 'linkIssued' }], { writes: [{ type: 'link', token: 't', record }] });
    expect(countsOf(at('confirm', { category: 3 }), o, text('1'))).toEqual({ linkIssued: 1, 'cat:3:linkIssued': 1 });
  });

  it.each([
    ['a wrong answer asked again', at('id', { category: 0 }), at('id', { category: 0 })],
    ['返回 one step back', at('name', { category: 0 }), at('id', { category: 0 })],
    ['2 = 重新填写 at the confirmation', at('confirm', { category: 0 }), at('category')],
    ['退出', at('phone', { category: 0 }), idle],
    ['认证 tapped in the middle of a dialogue', at('name', { category: 0 }), at('name', { category: 0 })],
  ] as const)('counts nothing for %s', (_, prev, next) => {
    expect(countsOf(prev, out(next), tap)).toEqual({});
  });

  it('counts no beginning before the window opens: there is no dialogue', () => {
    expect(countsOf(null, out(idle, [{ key: 'notYetOpen' }]), text('认证'))).toEqual({});
  });
});

describe('counting questions, never their text', () => {
  it('counts a typed question answered, and which entry answered it', () => {
    expect(countsOf(null, out(idle, [{ faq: 'how-often' }, { key: 'answerFooter' }]), text('每年认证几次'))).toEqual({ 'faq:answered': 1, 'faq:entry:how-often': 1 });
  });

  it('counts a question answered in the middle of the dialogue, and nothing for the step', () => {
    const o = out(at('name', { category: 0 }), [{ faq: 'no-smartphone' }, { key: 'reask' }, { key: 'namePrompt' }]);
    expect(countsOf(at('name', { category: 0 }), o, text('没有智能手机怎么办'))).toEqual({ 'faq:answered': 1, 'faq:entry:no-smartphone': 1 });
  });

  it('counts a question not answered (the fallback) and one answered with 您是不是想问', () => {
    expect(countsOf(null, out({ v: 1, choices: [{ type: 'start' }] }, [{ key: 'fallback' }]), text('今天天气怎么样'))).toEqual({ 'faq:unanswered': 1 });
    expect(countsOf(null, out({ v: 1, choices: [{ type: 'faq', id: 'a' }] }, [{ key: 'suggest' }]), text('认证'))).toEqual({ 'faq:suggested': 1 });
  });

  it('does not count a menu tap as a question', () => {
    expect(countsOf(null, out(idle, [{ faq: 'phone-numbers' }]), { kind: 'click', key: 'HELP_PHONES' })).toEqual({});
  });

  it('holds nothing but fixed field names and numbers, whatever the follower typed', () => {
    const fields = countsOf(at('name', { category: 0 }), out(at('phone', { category: 0, name: '王秀英' }), [{ key: 'phonePrompt' }]), text('王秀英'));
    expect(JSON.stringify(fields)).not.toContain('王秀英');
    expect(Object.keys(fields)).toEqual(['step:phone', 'cat:0:step:phone']);
    for (const [field, n] of Object.entries(fields)) {
      expect(field).toMatch(/^[a-zA-Z]+(:[a-zA-Z0-9-]+)*$/);
      expect(Number.isInteger(n)).toBe(true);
    }
  });
});
