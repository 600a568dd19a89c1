import { prefetch, respond } from '../../src/dialogue/respond';
import type { Ctx, FollowerState, LinkState } from '../../src/dialogue/types';
import { tokenHash, type CertMark } from '../../src/store/layout';
import { CLICK_KEYS } from '../../src/menu-keys';
import { idNumber } from '../helpers/certify';
import { content, ctxAt, formWrites, keysOf, NOW, said, text, walk } from '../helpers/core';

/**
 * Issue 14's seen cases on the pure core, continued: fixing one item, trying a failed face check
 * again, lists whose numbers stay valid, what people ask after the link, and the small ones.
 */

const ID = idNumber('19450101', '002');
const PERSON = { category: 0, id: ID, name: '张桂兰', phone: '13847110000' };
const at = (texts: string[], start: FollowerState | null = null, ctx = ctxAt()) => walk(texts, start, ctx).state;
const atConfirm = () => at(['认证', '1', '1', `张桂兰 ${ID} 13847110000`]);
const linked = () => respond(atConfirm(), text('1'), ctxAt()).state;
const withLink = (link: LinkState, over: Partial<Ctx> = {}) => ctxAt({ known: { marks: new Map(), lookups: 0, link }, ...over });
const FAILED: LinkState = { status: 'fail', doneAt: NOW };
const OPEN: LinkState = { status: 'issued', expiresAt: NOW + 15 * 60_000 };

describe('fixing one item at the confirmation', () => {
  it.each([
    ['2', 'category', 'categoryPrompt', '5', { category: 4 }],
    ['3', 'id', 'idPrompt', idNumber('19500202', '011'), { id: idNumber('19500202', '011') }],
    ['4', 'name', 'namePrompt', '张桂芝', { name: '张桂芝' }],
    ['5', 'phone', 'phonePrompt', '13800001111', { phone: '13800001111' }],
  ] as const)('asks only the item %s stands for (%s), then shows the confirmation with the rest kept', (n, field, promptKey, answer, changed) => {
    const asked = respond(atConfirm(), text(n), ctxAt());
    expect(keysOf(asked)).toEqual([promptKey]);
    expect(asked.state?.dialogue?.draft).not.toHaveProperty(field);
    const back = respond(asked.state, text(answer), ctxAt());
    expect(back.state?.dialogue).toEqual({ step: 'confirm', draft: { ...PERSON, ...changed } });
    expect(keysOf(back)).toEqual(['confirmPrompt']);
  });

  it('takes a right value sent at the confirmation as the correction, and says so', () => {
    const out = respond(atConfirm(), text('手机号错了，是13800001111'), ctxAt());
    expect(out.state?.dialogue).toEqual({ step: 'confirm', draft: { ...PERSON, phone: '13800001111' } });
    expect(keysOf(out)).toEqual(['updated', 'confirmPrompt']);
  });

  it('asks which item when told only that something is wrong, keeping everything', () => {
    const before = atConfirm();
    const out = respond(before, text('信息有误'), ctxAt());
    expect(out.state).toEqual(before);
    expect(keysOf(out)).toEqual(['whichToFix', 'confirmPrompt']);
  });
});

describe('trying again after a failed face check', () => {
  it('keeps the entries with the link (sealed in the state) and reads how the link went before answering', () => {
    const s = linked();
    expect(s?.dialogue?.draft).toEqual(PERSON);
    expect(prefetch(s, text('1'), ctxAt())).toEqual([
      { type: 'link', hash: tokenHash('T0KEN') },
      { type: 'mark', personKey: `pk:${ID}` },
      { type: 'faceFailures', personKey: `pk:${ID}` },
    ]);
  });

  it.each(['1', '再试一次', '我想再试一次'])('issues a new link for the same person on %s, nothing typed again and no lookup counted', (sent) => {
    const out = respond(linked(), text(sent), withLink(FAILED, { token: 'T0KEN2' }));
    expect(formWrites(out)).toEqual([{ type: 'link', token: 'T0KEN2', record: expect.objectContaining({ idNumber: ID, name: '张桂兰', phone: '13847110000', category: '养老资格认证' }) }]);
    expect(out.state?.dialogue).toMatchObject({ step: 'linked', draft: PERSON, masked: { link: tokenHash('T0KEN2') } });
    expect(said(out)).toContain('https://x.test/face-check/T0KEN2');
  });

  it('after a failure, 2 is another person and an unclear message gets the failure with both choices', () => {
    expect(respond(linked(), text('2'), withLink(FAILED)).state?.dialogue).toEqual({ step: 'category', draft: {} });
    const out = respond(linked(), text('xyz'), withLink(FAILED));
    expect(keysOf(out)).toEqual(['linkResultFail']);
    expect(said(out)).toContain('张*兰（身份证尾号0020）');
  });

  it('sends a new link when the same person’s ID number comes again after a failure', () => {
    const out = respond(linked(), text(ID), withLink(FAILED, { token: 'T4' }));
    expect(formWrites(out)).toEqual([expect.objectContaining({ type: 'link', token: 'T4', record: expect.objectContaining({ idNumber: ID }) })]);
  });

  it('offers no new link once a real provider counted the day’s last try: tomorrow and the offline ways, and 1 is another person', () => {
    const usedUp = withLink(FAILED, { known: { marks: new Map(), lookups: 0, link: FAILED, faceFailures: 3 } });
    const asked = respond(linked(), text('再试一次'), usedUp);
    expect(formWrites(asked)).toEqual([]);
    expect(keysOf(asked)).toEqual(['linkResultFailToday']);
    expect(said(asked)).toContain('村协理员');
    expect(respond(linked(), text('1'), usedUp).state?.dialogue).toEqual({ step: 'category', draft: {} });
    expect(prefetch(linked(), text('1'), ctxAt())).toContainEqual({ type: 'faceFailures', personKey: `pk:${ID}` });
  });

  it('offers the same for an expired link', () => {
    const out = respond(linked(), text('链接过期了'), withLink(OPEN, { now: NOW + 16 * 60_000, token: 'T3' }));
    expect(formWrites(out)).toEqual([expect.objectContaining({ type: 'link', token: 'T3' })]);
  });

  it('tells “already certified” instead of a new link once the person passed, and drops the kept entries', () => {
    const mark: CertMark = { maskedId: 'm', category: '养老资格认证', date: '2026-04-15', certifiedAt: '', result: 'pass', by: 'tag_core' };
    const ctx = ctxAt({ known: { marks: new Map([[`pk:${ID}`, mark]]), lookups: 0, link: { status: 'pass', doneAt: NOW } } });
    const out = respond(linked(), text('再试一次'), ctx);
    expect(out.state?.dialogue).toMatchObject({ step: 'certified', draft: {} });
    expect(formWrites(out)).toEqual([]);
    const asked = respond(linked(), text('谢谢'), ctx);
    expect(asked.state?.dialogue?.draft).toEqual({});
  });

  it('after the entries were dropped, 再试一次 starts anew and says why', () => {
    const out = respond({ v: 1, acknowledged: true }, text('再试一次'), ctxAt());
    expect(keysOf(out)).toEqual(['retryGone', 'categoryPrompt']);
  });
});

describe('after the link, what people ask', () => {
  it.each(['怎么又没通过', '我刷不了脸怎么办'])('answers %s with how to get through and who helps, then the choices', (sent) => {
    const out = respond(linked(), text(sent), withLink(FAILED));
    expect(keysOf(out)).toEqual(['faceHelp', 'linkResultFail']);
    expect(said(out)).toContain('村协理员');
  });

  it('answers 好的 kindly while the link is open, and 认证好了吗 with where it stands', () => {
    expect(keysOf(respond(linked(), text('好的'), withLink(OPEN)))).toEqual(['linkAck', 'linkOpen']);
    // How to check a result (the FAQ), then where this link stands.
    expect(keysOf(respond(linked(), text('认证好了吗'), withLink(OPEN))).at(-1)).toBe('linkOpen');
  });

  it('starts the next person straight from a pasted line, counting the lookup', () => {
    const other = idNumber('19500202', '011');
    const out = respond(linked(), text(`李四，${other}，13900001111`), withLink(OPEN));
    expect(out.state).toMatchObject({ acknowledged: true, dialogue: { step: 'category', draft: { id: other, name: '李四', phone: '13900001111' } } });
    expect(formWrites(out)).toEqual([{ type: 'lookups', day: '2026-04-15', count: 1 }]);
  });
});

describe('lists whose numbers stay valid while they are on screen', () => {
  it('keeps the FAQ list’s numbers working after an answer, two and more messages later', () => {
    const shown = at(['帮助', '2']);
    const first = respond(shown, text('3'), ctxAt());
    expect(keysOf(first)).toEqual(['faq:others-phone', 'answerFooterList']);
    expect(keysOf(respond(first.state, text('4'), ctxAt()))).toEqual(['faq:which-category', 'answerFooterList']);
  });

  it('shows the 常见问题 list mid-dialogue when tapped: answered, then the step asked again', () => {
    const atId = at(['认证', '1', '1']);
    const list = respond(atId, { kind: 'click', key: CLICK_KEYS.faqTopics }, ctxAt());
    expect(keysOf(list)).toEqual(['topics', 'resumeHint']);
    const group = respond(list.state, text('3'), ctxAt());
    expect(keysOf(group)).toEqual(['topicGroup', 'resumeHint']);
    const answer = respond(group.state, text(String(content.topicGroups[2]!.entries.indexOf('no-smartphone') + 1)), ctxAt());
    expect(keysOf(answer)).toEqual(['faq:no-smartphone', 'reask', 'idPrompt']);
    expect(answer.state).toEqual(atId);
    expect(respond(list.state, text('继续'), ctxAt()).state).toEqual(atId);
  });

  it('keeps every list of the 常见问题 under 300 characters', () => {
    const lists = [respond(null, text('帮助'), ctxAt())];
    content.topicGroups.forEach((_, i) => lists.push(respond(lists[0]!.state, text(String(i + 1)), ctxAt())));
    for (const l of lists) expect(said(l).length).toBeLessThanOrEqual(300);
  });

  it('answers a number sent with no list on screen with the home list, whose numbers then count', () => {
    const out = respond(null, text('1'), ctxAt());
    expect(keysOf(out)).toEqual(['homeList']);
    expect(keysOf(respond(out.state, text('1'), ctxAt()))).toEqual(['notice']);
  });

  it('answers a tap on a button it does not know as a button, not as a question', () => {
    const out = respond(null, { kind: 'click', key: 'OLD_BUTTON' }, ctxAt());
    expect(keysOf(out)).toEqual(['unknownButton', 'homeList']);
    expect(said(out)).not.toContain('回答不了');
  });
});

describe('the small ones', () => {
  it('welcomes with the district’s own office', () => {
    expect(said(respond(null, { kind: 'subscribe' }, ctxAt()))).toContain('欢迎关注新城区社会保险事业服务中心');
  });

  it.each([[0.05 * 60_000, '3秒'], [30 * 60_000, '30分钟'], [120 * 60_000, '2小时']])('tells a time-out of %i ms as %s', (ms, shown) => {
    expect(said(respond(null, text('认证'), ctxAt({ expired: true, dialogueIdleMs: ms })))).toContain(`超过${shown}没有操作`);
  });

  it('keeps the first reply after a time-out, and after the window, to about 200 characters', () => {
    expect(said(respond(null, text('认证'), ctxAt({ expired: true }))).length).toBeLessThanOrEqual(200);
    const after = ctxAt({}, Date.parse('2026-12-01T10:00:00+08:00'));
    expect(said(respond(null, text('认证'), after)).length).toBeLessThanOrEqual(210);
  });
});

describe('changing one item, then 返回', () => {
  it('marks the step reached to change an item, and drops the mark on 返回 (the step before is reached as usual)', () => {
    const fixing = at(['名字不对'], atConfirm());
    expect(fixing?.dialogue).toMatchObject({ step: 'name', fixing: true });
    const back = at(['返回'], fixing);
    expect(back?.dialogue?.step).toBe('id');
    expect(back?.dialogue?.fixing).toBeUndefined();
  });
});
