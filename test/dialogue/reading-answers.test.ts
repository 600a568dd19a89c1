import { prefetch, respond } from '../../src/dialogue/respond';
import type { FollowerState } from '../../src/dialogue/types';
import type { CertMark } from '../../src/store/layout';
import { idNumber } from '../helpers/certify';
import { ctxAt, formWrites, keysOf, said, text, walk } from '../helpers/core';

/**
 * How each step reads what old people and their relatives actually send (issue 14's seen cases),
 * on the pure core: message sent → state and reply.
 */

const ID = idNumber('19450101', '002'); // 150102194501010020
const ID_X = '11010519491231002X';
const at = (texts: string[], start: FollowerState | null = null) => walk(texts, start).state;
const atName = () => at(['认证', '1', '1', ID]);
const draftOf = (s: FollowerState | null) => s?.dialogue?.draft;

describe('the name step', () => {
  it.each(['好的', '知道了', '谢谢', '收到', '我知道'])('does not take %s for a name: a kind, specific re-ask, nothing changed', (sent) => {
    const before = atName();
    const out = respond(before, text(sent), ctxAt());
    expect(out.state).toEqual(before);
    expect(keysOf(out)).toEqual(['nameNotAName', 'namePrompt']);
    expect(said(out)).toContain('例如：王秀英');
  });

  it('takes 退订 for the reminders’ command, never for a name', () => {
    const before = atName();
    const out = respond(before, text('退订'), ctxAt());
    expect(out.state).toEqual(before);
    expect(keysOf(out)).toEqual(['remindersOff', 'namePrompt']);
  });

  it.each([
    ['我叫王建国', '王建国'],
    ['姓名刘秀英', '刘秀英'],
    ['姓名：刘秀英', '刘秀英'],
    ['她叫刘秀英。', '刘秀英'],
    ['老人叫刘秀英', '刘秀英'],
    ['我妈叫刘秀英', '刘秀英'],
    ['阿卜杜拉·买买提', '阿卜杜拉·买买提'],
    ['哈斯巴根', '哈斯巴根'],
    ['那英', '那英'],
    ['李不凡', '李不凡'],
    ['王 秀 英', '王秀英'],
  ])('reads %s as the name %s, without the words around it', (sent, name) => {
    const out = respond(atName(), text(sent), ctxAt());
    expect(draftOf(out.state)).toEqual({ category: 0, id: ID, name });
    expect(out.state?.dialogue?.step).toBe('phone');
  });
});

describe('everyday yes', () => {
  it.each(['嗯', '行', 'ok', 'OK', '我知道了', '看完了'])('acknowledges the notice with %s', (sent) => {
    const out = respond(at(['认证']), text(sent), ctxAt());
    expect(out.state).toMatchObject({ acknowledged: true, dialogue: { step: 'category' } });
  });

  const atConfirm = () => at(['认证', '1', '1', ID, '王秀英', '13912342345']);
  it.each(['好', '好的', '可以', '行', '嗯', 'OK'])('confirms with %s: the link is issued', (sent) => {
    const out = respond(atConfirm(), text(sent), ctxAt());
    expect(out.state?.dialogue?.step).toBe('linked');
    expect(formWrites(out)).toEqual([expect.objectContaining({ type: 'link' })]);
  });

  it.each([
    ['名字不对', 'name', 'namePrompt'],
    ['姓名错了', 'name', 'namePrompt'],
    ['手机号错了', 'phone', 'phonePrompt'],
    ['身份证号不对', 'id', 'idPrompt'],
    ['类别选错了', 'category', 'categoryPrompt'],
  ] as const)('goes straight to the item named in %s, keeping the others', (sent, field, promptKey) => {
    const out = respond(atConfirm(), text(sent), ctxAt());
    expect(keysOf(out)).toEqual([promptKey]);
    const draft = draftOf(out.state)!;
    expect(draft).not.toHaveProperty(field);
    expect(Object.keys(draft)).toHaveLength(3);
  });
});

describe('category words', () => {
  it.each(['养老', '养老的', '养老金', '退休', '我是退休工人', '领养老金的'])('chooses 养老资格认证 for %s', (sent) => {
    const out = respond(at(['认证', '1']), text(sent), ctxAt());
    expect(out.state?.dialogue).toEqual({ step: 'id', draft: { category: 0 } });
  });

  it.each([
    ['工伤', 1],
    ['养老遗属', 2],
    ['工伤遗属', 3],
    ['其他', 4],
  ])('chooses %s as category %i, the longest word winning', (sent, category) => {
    expect(draftOf(respond(at(['认证', '1']), text(sent), ctxAt()).state)).toEqual({ category });
  });

  it('still answers a question that holds a category word, instead of choosing', () => {
    const before = at(['认证', '1']);
    const out = respond(before, text('退休人员都要认证吗'), ctxAt());
    expect(out.state?.dialogue).toEqual(before?.dialogue);
    expect(keysOf(out)[0]).toMatch(/^faq:/);
  });
});

describe('ID and phone numbers in natural form', () => {
  const atId = () => at(['认证', '1', '1']);
  it.each([
    ['voice, with the commas speech recognition adds', '幺五零幺零二，一九四五零一零一，零零二零。', ID],
    ['in a sentence', `身份证号码是${ID}`, ID],
    ['after a label', `身份证号：${ID}`, ID],
    ['with × for X', ID_X.replace('X', '×'), ID_X],
    ['with spaces in groups', '110105 19491231 002X', ID_X],
  ])('reads an ID number %s', (_, sent, id) => {
    const out = respond(atId(), text(sent), ctxAt());
    expect(draftOf(out.state)).toEqual({ category: 0, id });
    expect(formWrites(out)).toEqual([{ type: 'lookups', day: '2026-04-15', count: 1 }]);
  });

  it('names the real length of a labelled number that is too short', () => {
    const out = respond(atId(), text('身份证号：15010219490101001'), ctxAt());
    expect(said(out)).toContain('您发来的是17位');
  });

  it.each(['手机号13847110000', '电话：138 4711 0000', '手机号码是幺三八四七幺幺零零零零'])('reads the phone number in %s', (sent) => {
    const out = respond(at(['认证', '1', '1', ID, '王秀英']), text(sent), ctxAt());
    expect(draftOf(out.state)?.phone).toBe('13847110000');
    expect(out.state?.dialogue?.step).toBe('confirm');
  });
});

describe('one line with everything', () => {
  it.each([
    `张桂兰 ${ID} 13847110000`,
    `张桂兰，${ID}，13847110000`,
    `13847110000 ${ID} 张桂兰`,
    `姓名：张桂兰，身份证号：${ID}，手机号：13847110000`,
  ])('fills every item of %s at the ID step and goes to the confirmation', (sent) => {
    const out = respond(at(['认证', '1', '1']), text(sent), ctxAt());
    expect(out.state?.dialogue).toEqual({ step: 'confirm', draft: { category: 0, id: ID, name: '张桂兰', phone: '13847110000' } });
    expect(formWrites(out)).toEqual([{ type: 'lookups', day: '2026-04-15', count: 1 }]);
  });

  it('at the category step asks only for the category, saying what it understood', () => {
    const out = respond(at(['认证', '1']), text(`张桂兰 ${ID} 13847110000`), ctxAt());
    expect(out.state?.dialogue).toEqual({ step: 'category', draft: { id: ID, name: '张桂兰', phone: '13847110000' } });
    expect(keysOf(out)).toEqual(['received', 'receivedId', 'receivedName', 'receivedPhone', 'categoryPrompt']);
    expect(said(out)).toContain('1501**********0020');
    expect(said(out)).not.toContain(ID);
  });

  it('keeps the rest of a line with a mistyped ID number and says what is wrong with it', () => {
    const out = respond(at(['认证', '1', '1']), text(`张桂兰 ${ID.slice(0, 17)}1 13847110000`), ctxAt());
    expect(out.state?.dialogue).toEqual({ step: 'id', draft: { category: 0, name: '张桂兰', phone: '13847110000' } });
    expect(said(out)).toContain('最后一位校验不对');
    expect(formWrites(out)).toEqual([]);
  });

  it('says one item at a time is fine when nothing in a line can be read', () => {
    const out = respond(at(['认证', '1', '1']), text('我妈的号是150102 1945'), ctxAt());
    expect(keysOf(out)).toEqual(['oneAtATime', 'idPrompt']);
  });

  it('starts the certification from a line pasted outside it, keeping the line through the notice', () => {
    const pasted = respond(null, text(`养老 张桂兰 ${ID} 13847110000`), ctxAt());
    expect(pasted.state?.dialogue).toEqual({ step: 'notice', draft: { category: 0, id: ID, name: '张桂兰', phone: '13847110000' } });
    expect(keysOf(pasted)).toEqual(['received', 'receivedCategory', 'receivedId', 'receivedName', 'receivedPhone', 'notice']);
    expect(formWrites(pasted)).toEqual([{ type: 'lookups', day: '2026-04-15', count: 1 }]);
    expect(respond(pasted.state, text('1'), ctxAt()).state?.dialogue?.step).toBe('confirm');
    // Once the notice was acknowledged, the line goes straight to what is missing.
    expect(respond({ v: 1, acknowledged: true }, text(`张桂兰 ${ID} 13847110000`), ctxAt()).state?.dialogue?.step).toBe('category');
  });

  it('keeps the rules of ID numbers: another phone hears 已认证 only with the matching name, and the lookup counts', () => {
    const mark: CertMark = { maskedId: 'm', category: '养老资格认证', date: '2026-04-01', certifiedAt: '', result: 'pass', by: 'someone-else', nameKey: `nk:${ID}|张桂兰` };
    const known = { marks: new Map([[`pk:${ID}`, mark]]), lookups: 0 };
    const atId = at(['认证', '1', '1']);
    expect(prefetch(atId, text(`张桂兰 ${ID} 13847110000`), ctxAt())).toEqual([{ type: 'mark', personKey: `pk:${ID}` }, { type: 'lookups' }]);
    const right = respond(atId, text(`张桂兰 ${ID} 13847110000`), ctxAt({ known }));
    expect(right.state?.dialogue?.step).toBe('certified');
    expect(formWrites(right)).toEqual([{ type: 'lookups', day: '2026-04-15', count: 1 }]);
    expect(respond(atId, text(`${ID} 13847110000`), ctxAt({ known })).state?.dialogue?.step).toBe('name');
    expect(respond(atId, text(`王秀英 ${ID} 13847110000`), ctxAt({ known })).state?.dialogue?.step).toBe('confirm');
    expect(said(respond(atId, text(`张桂兰 ${ID}`), ctxAt({ known: { ...known, lookups: 3 } })))).toContain('一天最多为 3 位老人');
  });
});
