import {
  TEXT_CONTENT_MAX_BYTES,
  cdata,
  computeSignature,
  encryptedEnvelope,
  newsReplyXml,
  parseXmlFields,
  textReplyXml,
  truncateUtf8,
} from '../../src/wechat';

const h = { toUser: 'opn_follower', fromUser: 'gh_account', createTime: 1700000000 };
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const hasLoneSurrogate = (s: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('textReplyXml', () => {
  it('addresses the follower from the account, with every string field in CDATA', () => {
    const xml = textReplyXml(h, '您好');
    expect(xml).toContain('<ToUserName><![CDATA[opn_follower]]></ToUserName>');
    expect(xml).toContain('<FromUserName><![CDATA[gh_account]]></FromUserName>');
    expect(xml).toContain('<MsgType><![CDATA[text]]></MsgType>');
    expect(xml).toContain('<Content><![CDATA[您好]]></Content>');
  });

  it('writes CreateTime in seconds: ten digits, not milliseconds', async () => {
    const fields = await parseXmlFields(textReplyXml({ ...h, createTime: 1700000000.9 }, 'x'));
    expect(fields.CreateTime).toMatch(/^\d{10}$/);
    expect(fields.CreateTime).toBe('1700000000');
  });

  it('keeps text that contains ]]> intact and unable to inject elements', async () => {
    const content = 'a]]></Content><MsgType>news</MsgType><Content><![CDATA[b';
    const fields = await parseXmlFields(textReplyXml(h, content));
    expect(fields.Content).toBe(content);
    expect(fields.MsgType).toBe('text');
  });

  it('drops characters XML cannot carry instead of sending a reply WeChat would refuse', async () => {
    const fields = await parseXmlFields(textReplyXml(h, 'a\u0000b\u0008c\uFFFEd\tok'));
    expect(fields.Content).toBe('abcd\tok');
  });

  it('sends content of exactly 2048 bytes unchanged', async () => {
    const content = 'a'.repeat(TEXT_CONTENT_MAX_BYTES - 3 * 100) + '中'.repeat(100);
    expect(bytes(content)).toBe(2048);
    expect((await parseXmlFields(textReplyXml(h, content))).Content).toBe(content);
  });

  it('cuts longer Chinese text to at most 2048 bytes on a character boundary, ending with …', async () => {
    // One ASCII byte first, so that a cut at byte 2045 would land inside a three-byte character.
    const content = `a${'认证'.repeat(400)}`;
    const sent = (await parseXmlFields(textReplyXml(h, content))).Content ?? '';
    expect(bytes(sent)).toBeLessThanOrEqual(2048);
    expect(sent.endsWith('…')).toBe(true);
    expect(content.startsWith(sent.slice(0, -1))).toBe(true);
    expect(sent).not.toContain('\uFFFD');
    expect(bytes(sent)).toBe(1 + 681 * 3 + 3);
  });
});

describe('truncateUtf8', () => {
  it('never splits a surrogate pair or an emoji sequence', () => {
    const family = '👨‍👩‍👧';
    for (const text of ['😀'.repeat(600), `x${'😀'.repeat(600)}`, family.repeat(200), `a${family.repeat(200)}`]) {
      const cut = truncateUtf8(text);
      expect(bytes(cut)).toBeLessThanOrEqual(2048);
      expect(hasLoneSurrogate(cut)).toBe(false);
      expect(text.startsWith(cut.slice(0, -1))).toBe(true);
    }
    expect(truncateUtf8(family.repeat(200)).slice(0, -1).length % family.length).toBe(0);
  });

  it('leaves text within the limit alone and honours a smaller limit', () => {
    expect(truncateUtf8('短')).toBe('短');
    expect(truncateUtf8('一二三四五', 9)).toBe('一二…');
  });
});

describe('newsReplyXml', () => {
  it('sends one article with its fields in CDATA', async () => {
    const xml = newsReplyXml(h, { title: '认证入口', description: '点此人脸识别', picUrl: 'https://p/1.png', url: 'https://x/face?t=1&u=2' });
    expect(xml).toContain('<Url><![CDATA[https://x/face?t=1&u=2]]></Url>');
    expect(await parseXmlFields(xml)).toEqual({
      ToUserName: 'opn_follower',
      FromUserName: 'gh_account',
      CreateTime: '1700000000',
      MsgType: 'news',
      ArticleCount: '1',
      'Articles.item.Title': '认证入口',
      'Articles.item.Description': '点此人脸识别',
      'Articles.item.PicUrl': 'https://p/1.png',
      'Articles.item.Url': 'https://x/face?t=1&u=2',
    });
  });

  it('sends an empty PicUrl when the article has no picture', async () => {
    const fields = await parseXmlFields(newsReplyXml(h, { title: 't', description: 'd', url: 'https://u' }));
    expect(fields['Articles.item.PicUrl']).toBe('');
  });
});

describe('encryptedEnvelope', () => {
  it('signs Encrypt with the token, timestamp and nonce, and stamps seconds', async () => {
    const fields = await parseXmlFields(encryptedEnvelope({ encrypt: 'QUJD+/==', token: 'tok', timestampSeconds: 1700000000, nonce: '123456789' }));
    expect(Object.keys(fields)).toEqual(['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
    expect(fields.TimeStamp).toMatch(/^\d{10}$/);
    expect(fields.MsgSignature).toBe(computeSignature('tok', '1700000000', '123456789', 'QUJD+/=='));
  });
});

describe('cdata', () => {
  it('splits every ]]> across two sections', () => {
    expect(cdata('a]]>b]]>')).toBe('<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>');
  });
});
