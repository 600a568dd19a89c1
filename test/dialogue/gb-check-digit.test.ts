import { gbCheckDigit, parseIdNumber } from '../../src/dialogue/person';

/**
 * The check character is computed in one place for the parser, the test fixtures and the benchmark,
 * so it is pinned here to the examples of GB 11643-1999 itself rather than to another copy.
 */
describe('the GB 11643 check character', () => {
  it.each([
    ['11010519491231002X', 'X'],
    ['440524188001010014', '4'],
  ])('of %s is %s, as the standard prints it', (id, check) => {
    expect(gbCheckDigit(id.slice(0, 17))).toBe(check);
  });

  it('is the only last character the parser accepts', () => {
    const first17 = '11010519491231002';
    const accepted = [...'0123456789X'].filter((c) => parseIdNumber(first17 + c).ok);
    expect(accepted).toEqual([gbCheckDigit(first17)]);
  });

  it('refuses anything but 17 digits, so a fixture cannot build a wrong number silently', () => {
    for (const bad of ['1101051949123100', '110105194912310021', '1101051949123100X']) expect(() => gbCheckDigit(bad)).toThrow(RangeError);
  });
});
