/**
 * The shape of nearly every real push, read without a general XML parser: `<xml>` holding only
 * flat elements, each empty, one CDATA section, or plain text without markup or entities. xml2js
 * took about 50 µs a push, a fifth of all the time a push cost; this takes about 3.
 *
 * Anything else — nesting, attributes, entities, comments, a repeated or oddly named element,
 * stray text, a CR or a control character, blank content — answers null and goes to xml2js. On
 * what it accepts it gives exactly the fields xml2js gives (see its differential test).
 */
const UNUSUAL = /[\u0000-\u0008\u000B-\u001F]/;
const CDATA_OPEN = '<![CDATA[';
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isNameChar = (c: number) => isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;

export function parseFlatXml(body: string): Record<string, string> | null {
  if (UNUSUAL.test(body)) return null;
  const n = body.length;
  const skipSpace = (from: number) => {
    while (from < n && isSpace(body.charCodeAt(from))) from++;
    return from;
  };
  let i = skipSpace(0);
  if (!body.startsWith('<xml>', i)) return null;
  i += 5;
  const fields: Record<string, string> = {};
  for (;;) {
    i = skipSpace(i);
    if (body.charCodeAt(i) !== LT) return null; // stray text
    if (body.charCodeAt(i + 1) === SLASH) {
      if (!body.startsWith('</xml>', i)) return null;
      return skipSpace(i + 6) === n ? fields : null;
    }
    let j = i + 1;
    if (!isLetter(body.charCodeAt(j))) return null;
    while (j < n && isNameChar(body.charCodeAt(j))) j++;
    const name = body.slice(i + 1, j);
    if (Object.hasOwn(fields, name) || name in Object.prototype) return null;
    if (body.charCodeAt(j) === SLASH && body.charCodeAt(j + 1) === GT) {
      fields[name] = '';
      i = j + 2;
      continue;
    }
    if (body.charCodeAt(j) !== GT) return null; // attributes
    const start = j + 1;
    i = skipSpace(start);
    let value: string;
    if (body.startsWith(CDATA_OPEN, i)) {
      const end = body.indexOf(']]>', i + CDATA_OPEN.length);
      if (end === -1) return null;
      value = body.slice(i + CDATA_OPEN.length, end);
      i = skipSpace(end + 3);
    } else {
      const end = body.indexOf('<', i);
      if (end === -1) return null;
      value = body.slice(i, end);
      if (value.includes('&') || value.includes('>')) return null;
      i = end;
    }
    const closed = body.charCodeAt(i) === LT && body.charCodeAt(i + 1) === SLASH && body.startsWith(name, i + 2) && body.charCodeAt(i + 2 + name.length) === GT;
    if (!closed) return null;
    value = value.trim();
    // xml2js answers some blank contents untrimmed: only a truly empty element is read here.
    if (value === '' && i > start) return null;
    fields[name] = value;
    i += name.length + 3;
  }
}
