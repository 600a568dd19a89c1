import { sameIdentity } from '../../src/face-check/identity';
import { REASON_GROUPS } from '../../src/face-check/provider';
import { groupOfCode } from '../../src/face-check/tencent-codes';

/** One plain tip per failure: each of FaceID's result codes lands in the group whose tip helps. */
describe('FaceID result codes', () => {
  it.each([
    [1201, 'light'], [1202, 'light'], [2016, 'light'],
    [1102, 'faceNotSeen'], [2010, 'faceNotSeen'], [1004, 'faceNotSeen'],
    [1002, 'actions'], [1003, 'actions'], [1005, 'actions'], [1007, 'actions'],
    [2006, 'mismatch'],
    [2005, 'noPhoto'], [2007, 'noPhoto'], [2008, 'noPhoto'], [2009, 'noPhoto'],
    [1001, 'network'], [1008, 'network'], [202, 'network'],
    [14, 'expired'], [15, 'expired'],
    [16, 'other'], [4, 'other'], [204, 'other'], [123456, 'other'],
  ])('%s → %s', (code, group) => {
    expect(groupOfCode(code)).toBe(group);
  });

  it('names only groups the counting and the tips know', () => {
    const seen = new Set([1, 14, 202, 1001, 1004, 1005, 1201, 2005, 2006, 9999].map(groupOfCode));
    for (const g of seen) expect(REASON_GROUPS).toContain(g);
  });
});

describe('the identity a pass is for', () => {
  const person = { idNumber: '11010519491231002X', name: '阿卜杜拉·买买提' };

  it.each([
    ['the same values', '11010519491231002X', '阿卜杜拉·买买提'],
    ['a lower-case x', '11010519491231002x', '阿卜杜拉·买买提'],
    ['full-width digits and Ｘ', '１１０１０５１９４９１２３１００２Ｘ', '阿卜杜拉·买买提'],
    ['another middle dot', '11010519491231002X', '阿卜杜拉•买买提'],
    ['a katakana middle dot', '11010519491231002X', '阿卜杜拉・买买提'],
    ['spaces around', ' 11010519491231002X ', ' 阿卜杜拉·买买提 '],
  ])('matches %s', (_, idNumber, name) => {
    expect(sameIdentity({ idNumber, name }, person)).toBe(true);
  });

  it.each([
    ['another ID number', '110105194912310038', '阿卜杜拉·买买提'],
    ['another name', '11010519491231002X', '阿卜杜拉·买买'],
    ['a name without its dot', '11010519491231002X', '阿卜杜拉买买提'],
    ['no ID number', '', '阿卜杜拉·买买提'],
    ['no name', '11010519491231002X', null],
    ['a masked ID number', '1101**********002X', '阿卜杜拉·买买提'],
  ])('refuses %s', (_, idNumber, name) => {
    expect(sameIdentity({ idNumber, name }, person)).toBe(false);
  });
});
