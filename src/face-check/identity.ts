/**
 * Whether the identity a provider checked is the person a link was issued for. The provider may
 * write the same ID number or name differently (a lower-case x, full-width forms, a middle dot of
 * another code point, spaces); anything else — another number, another name — is another person,
 * and a pass for another person certifies nobody.
 */

const DOTS = /[·•・．.。\u00B7\u2027\u30FB\uFF65\u2022]/g;

/** An ID number in one spelling: NFKC (full-width digits), no spaces or hyphens, upper-case X. */
export function canonicalIdNumber(s: string): string {
  return s.normalize('NFKC').replace(/[\s\-_]+/g, '').toUpperCase();
}

/** A name in one spelling: NFKC, no spaces, one middle dot. */
export function canonicalName(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').replace(DOTS, '·');
}

/** True when both values name the same person; an empty or missing value never matches. */
export function sameIdentity(
  checked: { readonly idNumber: string | null | undefined; readonly name: string | null | undefined },
  expected: { readonly idNumber: string; readonly name: string },
): boolean {
  if (!checked.idNumber || !checked.name || !expected.idNumber || !expected.name) return false;
  return canonicalIdNumber(checked.idNumber) === canonicalIdNumber(expected.idNumber) && canonicalName(checked.name) === canonicalName(expected.name);
}
