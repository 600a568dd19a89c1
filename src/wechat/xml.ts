import { parseStringPromise } from 'xml2js';
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
 * True when the body holds a markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`…) outside a
 * comment, a CDATA section or a processing instruction. Scanning the way an XML lexer does, rather
 * than searching the whole string, lets a follower's text say "<!DOCTYPE html>" inside CDATA
 * while a DTD anywhere the parser would read it is still refused.
 */
export function hasMarkupDeclaration(body: string): boolean {
  const opaque: ReadonlyArray<readonly [string, string]> = [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>']];
  let i = body.indexOf('<');
  while (i !== -1) {
    const section = opaque.find(([open]) => body.startsWith(open, i));
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

/**
 * Parses a push body (or a decrypted inner message) leniently, after refusing any DTD: xml2js's
 * parser does not expand custom entities today, but a billion-laughs body should never reach a
 * parser at all.
 *
 * @throws ProtocolError 400 'doctype_refused' | 'malformed_xml' (also when the root is not `<xml>`)
 */
export async function parseXmlFields(body: string): Promise<XmlFields> {
  if (hasMarkupDeclaration(body)) throw new ProtocolError('doctype_refused');
  const flat = parseFlatXml(body);
  if (flat !== null) return Object.freeze(flat);
  return parseGeneral(body);
}

/** Any well-formed body, through xml2js (the fast path's differential test compares the two). */
export async function parseGeneral(body: string): Promise<XmlFields> {
  if (hasMarkupDeclaration(body)) throw new ProtocolError('doctype_refused');
  let doc: unknown;
  try {
    doc = await parseStringPromise(body, { explicitArray: false, trim: true, ignoreAttrs: true, explicitRoot: true });
  } catch {
    throw new ProtocolError('malformed_xml');
  }
  if (!isRecord(doc) || Object.keys(doc).length !== 1 || !('xml' in doc)) {
    throw new ProtocolError('malformed_xml', 'the root element must be <xml>');
  }
  const entries: Array<[string, string]> = [];
  if (isRecord(doc.xml)) flatten(doc.xml, '', 0, entries);
  return Object.freeze(Object.fromEntries(entries));
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
 * Maps WeChat's element names onto the typed union in types.ts. Types and events this backend does
 * not know become `'other'` rather than an error, because WeChat adds new ones without notice and a
 * 400 would show the follower "该公众号暂时无法提供服务".
 *
 * @throws ProtocolError 400 'missing_field' when a field the type relies on is absent or empty,
 *   'bad_field' when a number does not parse
 */
export function toInbound(f: XmlFields): InboundMessage {
  const common: Common = {
    toUserName: need(f, 'ToUserName'),
    fromUserName: need(f, 'FromUserName'),
    createTime: seconds(f, 'CreateTime'),
  };
  const rawType = need(f, 'MsgType');
  switch (rawType.toLowerCase()) {
    case 'text':
      return { ...common, msgType: 'text', msgId: need(f, 'MsgId'), content: f.Content ?? '' };
    case 'voice':
      return {
        ...common,
        msgType: 'voice',
        msgId: need(f, 'MsgId'),
        mediaId: need(f, 'MediaId'),
        format: f.Format ?? '',
        ...(f.Recognition !== undefined && { recognition: f.Recognition }),
      };
    case 'image':
      return { ...common, msgType: 'image', msgId: need(f, 'MsgId'), picUrl: f.PicUrl ?? '', mediaId: need(f, 'MediaId') };
    case 'video':
    case 'shortvideo':
      return {
        ...common,
        msgType: rawType.toLowerCase() === 'video' ? 'video' : 'shortvideo',
        msgId: need(f, 'MsgId'),
        mediaId: need(f, 'MediaId'),
        thumbMediaId: f.ThumbMediaId ?? '',
      };
    case 'location':
      return {
        ...common,
        msgType: 'location',
        msgId: need(f, 'MsgId'),
        latitude: num(f, 'Location_X'),
        longitude: num(f, 'Location_Y'),
        scale: f.Scale === undefined || f.Scale === '' ? 0 : num(f, 'Scale'),
        label: f.Label ?? '',
      };
    case 'link':
      return { ...common, msgType: 'link', msgId: need(f, 'MsgId'), title: f.Title ?? '', description: f.Description ?? '', url: need(f, 'Url') };
    case 'event':
      return toEvent(common, f);
    default:
      return { ...common, msgType: 'other', rawType, ...(f.MsgId && { msgId: f.MsgId }) };
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
        latitude: num(f, 'Latitude'),
        longitude: num(f, 'Longitude'),
        precision: f.Precision === undefined || f.Precision === '' ? 0 : num(f, 'Precision'),
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

function num(f: XmlFields, name: string): number {
  const value = Number(need(f, name));
  if (!Number.isFinite(value)) throw new ProtocolError('bad_field', name);
  return value;
}

function seconds(f: XmlFields, name: string): number {
  const value = need(f, name);
  if (!/^\d{1,12}$/.test(value)) throw new ProtocolError('bad_field', name);
  return Number(value);
}
