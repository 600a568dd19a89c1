import { parseIdNumber, parseMobile, type IdReason } from './person';

/**
 * ID numbers and mobile numbers inside what people send: in a sentence (身份证号码是…), split in
 * groups by spaces, commas or the punctuation speech recognition adds (幺五零幺零二，一九四五…),
 * in spoken numerals, with × for X, several in one line. Linear in the text: digits are cut into
 * runs once, and a number is looked for only among the runs next to each other.
 */

export interface NumberSpan {
  readonly kind: 'id' | 'phone';
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface FoundNumbers {
  readonly spans: readonly NumberSpan[];
  /** Why the longest ID-shaped run was no ID number (a typo in a pasted line), if there was one. */
  readonly idError?: { readonly reason: IdReason; readonly count?: number };
}

const SPOKEN: Readonly<Record<string, string>> = { 零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 拐: '7', 八: '8', 九: '9', 勾: '9', 叉: 'X' };
/** Between the groups of one number: spaces, hyphens, commas, the 。 of speech recognition, a colon. */
const SEPARATOR = /[\s\-_,，、.。．:：;；·+]/u;

type Kind = 'arabic' | 'spoken';
interface Run {
  readonly kind: Kind;
  readonly digits: string;
  readonly start: number;
  readonly end: number;
  /** Only separators between this run and the previous one: they may be one number. */
  readonly joinsPrevious: boolean;
}

const kindOf = (c: string): Kind | null => (/[0-9Xx]/.test(c) ? 'arabic' : c in SPOKEN ? 'spoken' : null);

/** The text cut into runs of digits (Arabic, or spoken numerals), each knowing whether it may join the one before. */
function runsOf(s: string): Run[] {
  const runs: Run[] = [];
  let onlySeparators = false;
  let i = 0;
  while (i < s.length) {
    const kind = kindOf(s[i]!);
    if (kind === null) {
      onlySeparators = onlySeparators && SEPARATOR.test(s[i]!);
      i++;
      continue;
    }
    const start = i;
    let digits = '';
    while (i < s.length && kindOf(s[i]!) === kind) {
      digits += kind === 'spoken' ? SPOKEN[s[i]!]! : s[i]!.toUpperCase();
      i++;
    }
    runs.push({ kind, digits, start, end: i, joinsPrevious: runs.length > 0 && (onlySeparators || runs[runs.length - 1]!.end === start) });
    onlySeparators = true;
  }
  return runs;
}

const ID_LENGTH = 18;

/** Finds every ID number and mobile number in `text`, left to right; an ID number wins over a phone number in the same runs. */
const ANY_DIGIT = /[0-9０-９零〇洞一幺二两三四五六七拐八九勾叉]/u;

export function findNumbers(text: string, today: Date): FoundNumbers {
  if (!ANY_DIGIT.test(text)) return { spans: [] };
  const s = text.normalize('NFKC').replace(/[×✕✖╳]/gu, 'X');
  const runs = runsOf(s);
  const spans: NumberSpan[] = [];
  let idError: FoundNumbers['idError'];
  let i = 0;
  while (i < runs.length) {
    let joined = '';
    let found: NumberSpan | null = null;
    for (let j = i; j < runs.length && (j === i || runs[j]!.joinsPrevious); j++) {
      joined += runs[j]!.digits;
      if (joined.length > ID_LENGTH + 2) break;
      const span = { start: runs[i]!.start, end: runs[j]!.end };
      if (joined.length === ID_LENGTH && !/X./.test(joined)) {
        const id = parseIdNumber(joined, today);
        if (id.ok) {
          found = { kind: 'id', value: id.value, ...span };
          i = j;
          break;
        }
        if (!idError && (id.reason === 'date' || id.reason === 'checksum')) idError = { reason: id.reason };
      }
      if (!found && !joined.includes('X')) {
        const phone = parseMobile(joined);
        if (phone.ok && (joined.length === 11 || joined.length === 13)) {
          found = { kind: 'phone', value: phone.value, ...span };
          i = j;
        }
      }
    }
    if (found) spans.push(found);
    else if (!idError && runs[i]!.kind === 'arabic' && runs[i]!.digits.length >= 15 && runs[i]!.digits.length !== ID_LENGTH) {
      // One long run that is no number we know: most likely an ID number with a digit missing or extra.
      idError = { reason: 'length', count: runs[i]!.digits.length };
    }
    i++;
  }
  return idError && !spans.some((sp) => sp.kind === 'id') ? { spans, idError } : { spans };
}
