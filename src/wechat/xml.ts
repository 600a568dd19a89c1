import { Parser } from 'xml2js';
import { ProtocolError } from './errors';
import { parseFlatXml } from './xml-flat';
import type { InboundEvent, InboundMessage } from './types';

/**
 * A push's elements as flat strings. Nested elements become dotted keys (`Articles.item.Title`);
 * a repeated element becomes indexed keys (`D.0`, `D.1`) and its bare name stays absent, so that a
 * field we rely on can never be ambiguous. Stray text inside `<xml>` (Web WeChat sends some) is
 * dropped.
 */
export type XmlFields = Readonly<Record<string, string>>;

/** Far above any real push (a text message is at most a few KB); the HTTP layer limits reads to it. */
export const MAX_PUSH_BYTES = 64 * 1024;

const MAX_DEPTH = 8;

/**
 * Characters XML 1.0 forbids anywhere, CDATA included (tab, LF and CR are allowed). xml2js would
 * pass them on; a body holding one is not XML, and README promises 400 for that.
 */
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** What no parser should see: a DTD (never expanded, never even parsed) or a character XML forbids. */
function refuseUnsafe(body: string): void {
  if (hasMarkupDeclaration(body)) throw new ProtocolError('doctype_refused');
  if (FORBIDDEN_CHAR.test(body)) throw new ProtocolError('malformed_xml', 'control character');
}

/**
 * True when the body holds a markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`…) outside a
 * comment, a CDATA section or a processing instruction. Scanning the way an XML lexer does, rather
 * than searching the whole string, lets a follower's text say "<!DOCTYPE html>" inside CDATA
 * while a DTD anywhere the parser would read it is still refused.
 */
export function hasMarkupDeclaration(body: string): boolean {
  let i = body.indexOf('<');
  while (i !== -1) {
    const section = opaqueAt(body, i);
    if (section !== undefined) {
      const end = body.indexOf(section[1], i + section[0].length);
      if (end === -1) return false; // unterminated: the parser refuses it as malformed
      i = body.indexOf('<', end + section[1].length);
    } else if (body.startsWith('<!', i)) {
      return true;
    } else {
      i = body.indexOf('<', i + 1);
    }
  }
  return false;
}

/** Sections whose content the lexer does not read as markup: comments, CDATA, processing instructions. */
const OPAQUE: ReadonlyArray<readonly [string, string]> = [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>']];

function opaqueAt(body: string, i: number): readonly [string, string] | undefined {
  for (const section of OPAQUE) if (body.startsWith(section[0], i)) return section;
  return undefined;
}

/**
 * Parses a push body (or a decrypted inner message) leniently, after refusing any DTD: xml2js's
 * parser does not expand custom entities today, but a billion-laughs body should never reach a
 * parser at all.
 *
 * @throws ProtocolError 400 'doctype_refused' | 'malformed_xml' (also when the root is not `<xml>`,
 *   when anything but whitespace, comments or processing instructions follows it, or for a control character)
 */
export async function parseXmlFields(body: string): Promise<XmlFields> {
  refuseUnsafe(body);
  const flat = parseFlatXml(body);
  if (flat !== null) return Object.freeze(flat);
  return parseGeneral(body);
}

/** Any well-formed body, through xml2js (the fast path's differential test compares the two). */
export async function parseGeneral(body: string): Promise<XmlFields> {
  refuseUnsafe(body);
  const doc = parseDocument(body);
  if (!isRecord(doc) || Object.keys(doc).length !== 1 || !('xml' in doc)) {
    throw new ProtocolError('malformed_xml', 'the root element must be <xml>');
  }
  const entries: Array<[string, string]> = [];
  if (isRecord(doc.xml)) flatten(doc.xml, '', 0, entries);
  return Object.freeze(Object.fromEntries(entries));
}

const PARSER_OPTIONS = { explicitArray: false, trim: true, ignoreAttrs: true, explicitRoot: true } as const;

/**
 * One document, read synchronously. xml2js answers as soon as the root element closes and never
 * looks at what follows; its sax parser reads on and reports it (text, a second root), so the body
 * counts only when exactly one document came out and nothing was reported.
 */
function parseDocument(body: string): unknown {
  const parser = new Parser(PARSER_OPTIONS);
  const documents: unknown[] = [];
  let failed = false;
  parser.on('end', (doc: unknown) => documents.push(doc));
  parser.on('error', () => (failed = true));
  try {
    parser.parseString(body);
  } catch {
    failed = true;
  }
  if (failed) throw new ProtocolError('malformed_xml');
  if (documents.length !== 1) throw new ProtocolError('malformed_xml', 'content after the root element');
  return documents[0];
}

function flatten(node: Readonly<Record<string, unknown>>, prefix: string, depth: number, out: Array<[string, string]>): void {
  for (const [name, value] of Object.entries(node)) {
    if (name === '_') continue;
    add(`${prefix}${name}`, value, depth, out);
  }
}

function add(key: string, value: unknown, depth: number, out: Array<[string, string]>): void {
  if (typeof value === 'string') out.push([key, value]);
  else if (depth >= MAX_DEPTH) return;
  else if (Array.isArray(value)) value.forEach((item, i) => add(`${key}.${i}`, item, depth + 1, out));
  else if (isRecord(value)) flatten(value, `${key}.`, depth + 1, out);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Common = { readonly toUserName: string; readonly fromUserName: string; readonly createTime: number };

/**
 * Maps WeChat's element names onto the typed union in types.ts. Only what the service needs is
 * required: who wrote to whom, when (deduplication relies on it), the type, and an event's name.
 * Everything else is read leniently — absent, empty or malformed gives a default or leaves the
 * field out — because a 400 shows the follower "该公众号暂时无法提供服务": real pushes come
 * without MsgId or spell it MsgID, and WeChat adds types and events without notice (they become
 * `'other'`).
 *
 * @throws ProtocolError 400 'missing_field' when ToUserName, FromUserName, CreateTime, MsgType or
 *   an event's Event is absent or empty; 'bad_field' when CreateTime is not a number of seconds
 */
export function toInbound(f: XmlFields): InboundMessage {
  const toUserName = need(f, 'ToUserName');
  const fromUserName = need(f, 'FromUserName');
  const createTime = seconds(f, 'CreateTime');
  const common: Common = { toUserName, fromUserName, createTime };
  const rawType = need(f, 'MsgType');
  const msgId = f.MsgId || f.MsgID;
  const id = msgId ? { msgId } : {};
  switch (rawType.toLowerCase()) {
    case 'text': {
      // Nearly every push: one literal each way, no spreads (they cost about 2 µs here).
      const content = f.Content ?? '';
      return msgId ? { toUserName, fromUserName, createTime, msgType: 'text', msgId, content } : { toUserName, fromUserName, createTime, msgType: 'text', content };
    }
    case 'voice':
      return {
        ...common,
        msgType: 'voice',
        ...id,
        mediaId: f.MediaId ?? '',
        format: f.Format ?? '',
        ...(f.Recognition !== undefined && { recognition: f.Recognition }),
      };
    case 'image':
      return { ...common, msgType: 'image', ...id, picUrl: f.PicUrl ?? '', mediaId: f.MediaId ?? '' };
    case 'video':
    case 'shortvideo':
      return {
        ...common,
        msgType: rawType.toLowerCase() === 'video' ? 'video' : 'shortvideo',
        ...id,
        mediaId: f.MediaId ?? '',
        thumbMediaId: f.ThumbMediaId ?? '',
      };
    case 'location':
      return {
        ...common,
        msgType: 'location',
        ...id,
        ...optionalNumber(f, 'Location_X', 'latitude'),
        ...optionalNumber(f, 'Location_Y', 'longitude'),
        ...optionalNumber(f, 'Scale', 'scale'),
        label: f.Label ?? '',
      };
    case 'link':
      return { ...common, msgType: 'link', ...id, title: f.Title ?? '', description: f.Description ?? '', url: f.Url ?? '' };
    case 'event':
      return toEvent(common, f);
    default:
      return { ...common, msgType: 'other', rawType, ...id };
  }
}

/** WeChat spells events inconsistently ('subscribe' but 'CLICK'), so they compare case-insensitively. */
function toEvent(common: Common, f: XmlFields): InboundEvent {
  const base = { ...common, msgType: 'event' } as const;
  const rawEvent = need(f, 'Event');
  const eventKey = f.EventKey ?? '';
  const ticket = f.Ticket ? { ticket: f.Ticket } : {};
  switch (rawEvent.toLowerCase()) {
    case 'subscribe':
      return { ...base, event: 'subscribe', ...(eventKey && { eventKey }), ...ticket };
    case 'unsubscribe':
      return { ...base, event: 'unsubscribe' };
    case 'scan':
      return { ...base, event: 'SCAN', eventKey, ...ticket };
    case 'click':
      return { ...base, event: 'CLICK', eventKey };
    case 'view':
      return { ...base, event: 'VIEW', eventKey };
    case 'location':
      return {
        ...base,
        event: 'LOCATION',
        ...optionalNumber(f, 'Latitude', 'latitude'),
        ...optionalNumber(f, 'Longitude', 'longitude'),
        ...optionalNumber(f, 'Precision', 'precision'),
      };
    default:
      return { ...base, event: 'other', rawEvent, ...(eventKey && { eventKey }) };
  }
}

function need(f: XmlFields, name: string): string {
  const value = f[name];
  if (value === undefined || value === '') throw new ProtocolError('missing_field', name);
  return value;
}

/** `{ [key]: n }` when the element holds a finite number, else `{}`: the service never reads coordinates. */
function optionalNumber<K extends string>(f: XmlFields, name: string, key: K): { [P in K]?: number } {
  const raw = f[name];
  const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return (Number.isFinite(value) ? { [key]: value } : {}) as { [P in K]?: number };
}

function seconds(f: XmlFields, name: string): number {
  const value = need(f, name);
  if (!/^\d{1,12}$/.test(value)) throw new ProtocolError('bad_field', name);
  return Number(value);
}
