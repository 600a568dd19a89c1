// The module object itself (not an import-star copy), so that spying replaces what signature.ts calls.
import nodeCrypto = require('node:crypto');
import { computeSignature, signaturesMatch } from '../../src/wechat';

const sha1 = (s: string): string => nodeCrypto.createHash('sha1').update(s).digest('hex');

describe('computeSignature', () => {
  it('hashes the parts sorted lexicographically and joined with no separator', () => {
    expect(computeSignature('token', '1409304348', 'xxxxxx')).toBe(sha1(['1409304348', 'token', 'xxxxxx'].join('')));
  });

  it('gives the same signature whatever order the parts are passed in', () => {
    expect(computeSignature('c', 'a', 'b')).toBe(computeSignature('a', 'b', 'c'));
    expect(computeSignature('pamtest', '1', '2', 'Encrypt+/=')).toBe(computeSignature('Encrypt+/=', '2', 'pamtest', '1'));
  });

  it('is a 40-character lowercase hex string', () => {
    expect(computeSignature('a', 'b', 'c')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('does not reorder the caller’s array', () => {
    const parts = ['z', 'a'];
    computeSignature(...parts);
    expect(parts).toEqual(['z', 'a']);
  });
});

describe('signaturesMatch', () => {
  afterEach(() => jest.restoreAllMocks());

  it('accepts an identical signature and refuses one that differs in a single character', () => {
    const good = computeSignature('token', '1', 'n');
    const bad = `${good.slice(0, 39)}${good.endsWith('0') ? '1' : '0'}`;
    expect(signaturesMatch(good, good)).toBe(true);
    expect(signaturesMatch(good, bad)).toBe(false);
  });

  it('compares equal-length signatures with timingSafeEqual', () => {
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    const good = computeSignature('token', '1', 'n');
    signaturesMatch(good, good.toUpperCase());
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('answers false for a signature of another length without throwing', () => {
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    const good = computeSignature('token', '1', 'n');
    expect(signaturesMatch(good, good.slice(1))).toBe(false);
    expect(signaturesMatch(good, '')).toBe(false);
    expect(signaturesMatch(good, `${good}0`)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
  });

  it('compares bytes, so a multi-byte forgery of the same character count is refused', () => {
    const good = computeSignature('token', '1', 'n');
    expect(signaturesMatch(good, `${good.slice(0, 39)}é`)).toBe(false);
  });
});
