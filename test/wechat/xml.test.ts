import { hasMarkupDeclaration, parseXmlFields, toInbound, type InboundMessage } from '../../src/wechat';
import { eventXml, imageXml, textXml, voiceXml, xmlOf } from '../../src/wechat/client-sign';
import { thrown } from '../helpers/thrown';

const who = { to: 'gh_account', from: 'opn_follower', createTime: 1700000000 };
const common = { toUserName: 'gh_account', fromUserName: 'opn_follower', createTime: 1700000000 };
const head = { ToUserName: 'gh_account', FromUserName: 'opn_follower', CreateTime: 1700000000 };
const inbound = async (xml: string): Promise<InboundMessage> => toInbound(await parseXmlFields(xml));

describe('toInbound, each message type', () => {
  it('reads a text message', async () => {
    expect(await inbound(textXml({ ...who, content: '  你好 ', msgId: '1001' }))).toEqual({ ...common, msgType: 'text', msgId: '1001', content: '你好' });
  });

  it('reads a voice message with its Recognition', async () => {
    expect(await inbound(voiceXml({ ...who, recognition: '我要认证', mediaId: 'm1', format: 'amr', msgId: '1002' }))).toEqual({
      ...common, msgType: 'voice', msgId: '1002', mediaId: 'm1', format: 'amr', recognition: '我要认证',
    });
  });

  it('reads a voice message without Recognition, leaving recognition absent', async () => {
    const message = await inbound(voiceXml({ ...who, mediaId: 'm1', msgId: '1003' }));
    expect(message).toMatchObject({ msgType: 'voice', mediaId: 'm1' });
    expect(message).not.toHaveProperty('recognition');
  });

  it('keeps an empty Recognition as an empty string, so the caller can fall back', async () => {
    expect(await inbound(voiceXml({ ...who, recognition: '', msgId: '1004' }))).toMatchObject({ msgType: 'voice', recognition: '' });
  });

  it('reads image, video, shortvideo, location and link messages', async () => {
    expect(await inbound(imageXml({ ...who, picUrl: 'http://p/1.jpg', mediaId: 'img', msgId: '1' }))).toEqual({ ...common, msgType: 'image', msgId: '1', picUrl: 'http://p/1.jpg', mediaId: 'img' });
    expect(await inbound(xmlOf({ ...head, MsgType: 'video', MediaId: 'v', ThumbMediaId: 't', MsgId: '2' }))).toEqual({ ...common, msgType: 'video', msgId: '2', mediaId: 'v', thumbMediaId: 't' });
    expect(await inbound(xmlOf({ ...head, MsgType: 'shortvideo', MediaId: 'v', ThumbMediaId: 't', MsgId: '3' }))).toMatchObject({ msgType: 'shortvideo' });
    expect(await inbound(xmlOf({ ...head, MsgType: 'location', Location_X: 23.134521, Location_Y: 113.358803, Scale: 20, Label: '广州', MsgId: '4' }))).toEqual({
      ...common, msgType: 'location', msgId: '4', latitude: 23.134521, longitude: 113.358803, scale: 20, label: '广州',
    });
    expect(await inbound(xmlOf({ ...head, MsgType: 'link', Title: 'T', Description: 'D', Url: 'https://u', MsgId: '5' }))).toEqual({
      ...common, msgType: 'link', msgId: '5', title: 'T', description: 'D', url: 'https://u',
    });
  });

  it('turns a message type it does not know into other, keeping the raw type', async () => {
    expect(await inbound(xmlOf({ ...head, MsgType: 'miniprogrampage', MsgId: '6' }))).toEqual({ ...common, msgType: 'other', rawType: 'miniprogrampage', msgId: '6' });
  });
});

describe('toInbound, events', () => {
  it('reads subscribe, with and without a QR scene', async () => {
    expect(await inbound(eventXml({ ...who, event: 'subscribe', eventKey: '' }))).toEqual({ ...common, msgType: 'event', event: 'subscribe' });
    expect(await inbound(eventXml({ ...who, event: 'subscribe', eventKey: 'qrscene_42', ticket: 'TK' }))).toEqual({
      ...common, msgType: 'event', event: 'subscribe', eventKey: 'qrscene_42', ticket: 'TK',
    });
  });

  it('reads unsubscribe, SCAN, CLICK, VIEW and LOCATION', async () => {
    expect(await inbound(eventXml({ ...who, event: 'unsubscribe' }))).toEqual({ ...common, msgType: 'event', event: 'unsubscribe' });
    expect(await inbound(eventXml({ ...who, event: 'SCAN', eventKey: '42', ticket: 'TK' }))).toEqual({ ...common, msgType: 'event', event: 'SCAN', eventKey: '42', ticket: 'TK' });
    expect(await inbound(eventXml({ ...who, event: 'CLICK', eventKey: 'CERT_START' }))).toEqual({ ...common, msgType: 'event', event: 'CLICK', eventKey: 'CERT_START' });
    expect(await inbound(eventXml({ ...who, event: 'VIEW', eventKey: 'https://x' }))).toEqual({ ...common, msgType: 'event', event: 'VIEW', eventKey: 'https://x' });
    expect(await inbound(eventXml({ ...who, event: 'LOCATION', latitude: 23.1, longitude: 113.3, precision: 119.385 }))).toEqual({
      ...common, msgType: 'event', event: 'LOCATION', latitude: 23.1, longitude: 113.3, precision: 119.385,
    });
  });

  it('compares event names case-insensitively', async () => {
    expect(await inbound(eventXml({ ...who, event: 'Subscribe' }))).toMatchObject({ event: 'subscribe' });
    expect(await inbound(eventXml({ ...who, event: 'click', eventKey: 'K' }))).toMatchObject({ event: 'CLICK', eventKey: 'K' });
    expect(await inbound(eventXml({ ...who, event: 'scan', eventKey: 'K' }))).toMatchObject({ event: 'SCAN' });
  });

  it('turns an event it does not know into other, keeping the raw name and key', async () => {
    expect(await inbound(eventXml({ ...who, event: 'TEMPLATESENDJOBFINISH', eventKey: 'k' }))).toEqual({
      ...common, msgType: 'event', event: 'other', rawEvent: 'TEMPLATESENDJOBFINISH', eventKey: 'k',
    });
  });
});

describe('toInbound refusals', () => {
  it.each(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType'])('refuses a push without %s as missing_field', (name) => {
    const fields = { ToUserName: 'gh', FromUserName: 'opn', CreateTime: '1700000000', MsgType: 'text', Content: 'x', MsgId: '1' };
    expect(thrown(() => toInbound({ ...fields, [name]: '' }))).toMatchObject({ reason: 'missing_field', status: 400, detail: name });
  });

  it('refuses a CreateTime that is not a number of seconds as bad_field: deduplication relies on it', () => {
    expect(thrown(() => toInbound({ ToUserName: 'gh', FromUserName: 'o', CreateTime: '17e8', MsgType: 'event', Event: 'unsubscribe' }))).toMatchObject({ reason: 'bad_field' });
  });

  it('refuses an event without its Event', () => {
    expect(thrown(() => toInbound({ ToUserName: 'gh', FromUserName: 'o', CreateTime: '1', MsgType: 'event', EventKey: 'K' }))).toMatchObject({ reason: 'missing_field', detail: 'Event' });
  });
});

describe('toInbound, leniency with what the service does not need', () => {
  const base = { ToUserName: 'gh', FromUserName: 'o', CreateTime: '1700000000' };
  const common_ = { toUserName: 'gh', fromUserName: 'o', createTime: 1700000000 };

  it('reads a text message without MsgId, leaving msgId absent', () => {
    expect(toInbound({ ...base, MsgType: 'text', Content: 'x' })).toEqual({ ...common_, msgType: 'text', content: 'x' });
    expect(toInbound({ ...base, MsgType: 'text', Content: 'x', MsgId: '' })).not.toHaveProperty('msgId');
  });

  it('reads MsgID, as some pushes spell it', () => {
    expect(toInbound({ ...base, MsgType: 'text', Content: 'x', MsgID: '42' })).toMatchObject({ msgId: '42' });
    expect(toInbound({ ...base, MsgType: 'voice', MediaId: 'm', MsgID: '43' })).toMatchObject({ msgId: '43' });
  });

  it('reads media messages without MediaId, Format or Url', () => {
    expect(toInbound({ ...base, MsgType: 'voice', MsgId: '1' })).toEqual({ ...common_, msgType: 'voice', msgId: '1', mediaId: '', format: '' });
    expect(toInbound({ ...base, MsgType: 'image', PicUrl: 'http://p/1.jpg', MsgId: '2' })).toEqual({ ...common_, msgType: 'image', msgId: '2', picUrl: 'http://p/1.jpg', mediaId: '' });
    expect(toInbound({ ...base, MsgType: 'link', Title: 'T', MsgId: '3' })).toMatchObject({ msgType: 'link', url: '' });
  });

  it('leaves out coordinates that are missing or not numbers', () => {
    expect(toInbound({ ...base, MsgType: 'event', Event: 'LOCATION', Latitude: 'north', Longitude: '113.3', Precision: '' })).toEqual({ ...common_, msgType: 'event', event: 'LOCATION', longitude: 113.3 });
    expect(toInbound({ ...base, MsgType: 'location', Label: 'L', MsgId: '4' })).toEqual({ ...common_, msgType: 'location', msgId: '4', label: 'L' });
  });
});

describe('parseXmlFields', () => {
  it('tolerates stray text inside <xml>, as Web WeChat sends', async () => {
    const fields = await parseXmlFields('<xml>\n stray words <ToUserName><![CDATA[gh]]></ToUserName> more <MsgType>text</MsgType></xml>');
    expect(fields).toEqual({ ToUserName: 'gh', MsgType: 'text' });
  });

  it('flattens nested elements to dotted keys and indexes repeated ones, leaving the bare name absent', async () => {
    const fields = await parseXmlFields('<xml><A><B>1</B></A><MsgType>text</MsgType><MsgType>image</MsgType></xml>');
    expect(fields).toEqual({ 'A.B': '1', 'MsgType.0': 'text', 'MsgType.1': 'image' });
  });

  it.each([
    ['an unclosed root', '<xml><MsgType>text</MsgType>'],
    ['a root that is not xml', '<message><MsgType>text</MsgType></message>'],
    ['an empty body', ''],
    ['plain text', 'hello'],
    ['JSON', '{"MsgType":"text"}'],
    ['text after the root', '<xml><MsgType>text</MsgType></xml>trailing'],
    ['a second root', '<xml><MsgType>text</MsgType></xml><xml><MsgType>image</MsgType></xml>'],
    ['an element after the root', '<xml><MsgType>text</MsgType></xml><B/>'],
    ['an entity after the root', '<xml><MsgType>text</MsgType></xml>&amp;'],
    ['a NUL after the root', '<xml><MsgType>text</MsgType></xml>\u0000'],
    ['a control character in text', '<xml><MsgType>text</MsgType><Content>a\u0001b</Content></xml>'],
    ['a NUL inside CDATA', '<xml><MsgType>text</MsgType><Content><![CDATA[a\u0000b]]></Content></xml>'],
    ['an escape character', '<xml><MsgType>text</MsgType><Content>\u001b[31m</Content></xml>'],
    ['a form feed', '<xml>\f<MsgType>text</MsgType></xml>'],
    ['U+FFFF', '<xml><MsgType>text</MsgType><Content>\uFFFF</Content></xml>'],
  ])('refuses %s as malformed_xml', async (_name, body) => {
    await expect(parseXmlFields(body)).rejects.toMatchObject({ reason: 'malformed_xml', status: 400 });
  });

  it.each([
    ['whitespace', '<xml><MsgType>text</MsgType></xml>\r\n  \t'],
    ['a comment', '<xml><MsgType>text</MsgType></xml><!-- sent by a proxy -->'],
    ['a processing instruction', '<xml><MsgType>text</MsgType></xml><?pi x?>'],
  ])('accepts %s after the root, which XML allows', async (_name, body) => {
    expect(await parseXmlFields(body)).toEqual({ MsgType: 'text' });
  });

  it('keeps tab, LF and CR, which XML allows, and DEL and C1 characters', async () => {
    const fields = await parseXmlFields('<xml><Content><![CDATA[a\tb\r\nc\u007f\u0085]]></Content></xml>');
    expect(fields.Content).toBe('a\tb\r\nc\u007f\u0085');
  });

  const billionLaughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><Content>&lol3;</Content></xml>';
  it.each([
    ['a billion-laughs body', billionLaughs],
    ['an external entity (XXE)', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>'],
    ['a lower-case doctype', '<!doctype xml><xml><MsgType>text</MsgType></xml>'],
    ['a bare ENTITY declaration', '<xml><!ENTITY a "b"><MsgType>text</MsgType></xml>'],
    ['a DTD hidden between comments that quote CDATA markers', '<!-- <![CDATA[ --><!DOCTYPE x [<!ENTITY a "b">]><!-- ]]> --><xml/>'],
    ['a DTD after a processing instruction that quotes a comment opener', '<?pi <!-- ?><!DOCTYPE x><!-- --><xml/>'],
  ])('refuses %s as doctype_refused before parsing', async (_name, body) => {
    expect(hasMarkupDeclaration(body)).toBe(true);
    await expect(parseXmlFields(body)).rejects.toMatchObject({ reason: 'doctype_refused', status: 400 });
  });

  it('lets a follower’s text mention <!DOCTYPE inside CDATA', async () => {
    const xml = textXml({ ...who, content: 'what does <!DOCTYPE html> mean? <!-- -->', msgId: '9' });
    expect(hasMarkupDeclaration(xml)).toBe(false);
    expect(await inbound(xml)).toMatchObject({ msgType: 'text', content: 'what does <!DOCTYPE html> mean? <!-- -->' });
  });
});
