import { parseGeneral, parseXmlFields } from '../../src/wechat/xml';
import { parseFlatXml } from '../../src/wechat/xml-flat';
import { textXml } from '../../src/wechat/client-sign';

/**
 * The fast path for flat pushes must give exactly what xml2js gives, or step aside (null).
 * Every body below goes through both; thousands more are generated from tricky pieces.
 */
async function general(body: string): Promise<Record<string, string> | 'error'> {
  try {
    return { ...(await parseGeneral(body)) };
  } catch {
    return 'error';
  }
}

const pieces = {
  names: ['ToUserName', 'Content', 'MsgId', 'A', 'x1', 'Under_score', 'constructor', 'toString', 'xml', 'B-C', 'ns:tag', '_'],
  values: ['', ' ', 'plain', '  padded  ', '你好 世界', 'a\nb', '\n\tlead', 'a > b', 'a & b', '&amp;', '&#20320;', 'x]]>y', '<!-- c -->', '\u3000全角\u3000', 'tab\tinside', 'emoji 😀', 'cr\r\nlf', 'nul\u0000', '123', 'bad\uFFFE', 'lone\uD800', 'del\u007F', 'nel\u0085', 'nbsp\u00A0 '],
  wraps: [
    (v: string) => v,
    (v: string) => `<![CDATA[${v}]]>`,
    (v: string) => ` <![CDATA[${v}]]> `,
    (v: string) => `\n  <![CDATA[${v}]]>\n`,
    (v: string) => `<![CDATA[${v}]]><![CDATA[${v}]]>`,
    (v: string) => `x<![CDATA[${v}]]>`,
    (v: string) => `<B>${v}</B>`,
  ],
};

let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const pick = <T>(a: readonly T[]) => a[rand(a.length)]!;

function randomBody(): string {
  const parts: string[] = [];
  const count = rand(5);
  for (let k = 0; k < count; k++) {
    const name = pick(pieces.names);
    const r = rand(10);
    if (r === 0) parts.push(`<${name}/>`);
    else if (r === 1) parts.push(`<${name} a="1">${pick(pieces.values)}</${name}>`);
    else if (r === 2) parts.push(pick([' ', '\n', 'stray', '<!-- note -->']));
    else parts.push(`<${name}>${pick(pieces.wraps)(pick(pieces.values))}</${name}>`);
  }
  const inner = parts.join(pick(['', '\n', ' ']));
  return pick([`<xml>${inner}</xml>`, `  <xml>${inner}</xml>\n`, `<?xml version="1.0"?><xml>${inner}</xml>`, `<xml>${inner}`, `<root>${inner}</root>`]);
}

describe('the fast path for flat pushes', () => {
  it('reads a real text push itself', () => {
    const body = textXml({ to: 'gh_1', from: 'o_1', createTime: 1700000000, content: ' 每年认证几次？ ', msgId: '42' });
    expect(parseFlatXml(body)).toEqual({ ToUserName: 'gh_1', FromUserName: 'o_1', CreateTime: '1700000000', MsgType: 'text', Content: '每年认证几次？', MsgId: '42' });
  });

  it('steps aside for what it does not handle', () => {
    for (const body of ['<xml><A>&amp;</A></xml>', '<xml><A><B>1</B></A></xml>', '<xml><A>1</A><A>2</A></xml>', '<xml>stray<A>1</A></xml>', '<xml><A x="1">1</A></xml>', '<xml><A>a\r\nb</A></xml>', '<xml><constructor>1</constructor></xml>']) {
      expect(parseFlatXml(body)).toBeNull();
    }
  });

  it('agrees with xml2js on every body it accepts', async () => {
    let accepted = 0;
    for (let k = 0; k < 20000; k++) {
      const body = randomBody();
      const fast = parseFlatXml(body);
      if (fast === null) continue;
      accepted++;
      expect({ body, fields: fast }).toEqual({ body, fields: await general(body) });
      expect({ ...(await parseXmlFields(body)) }).toEqual(fast);
    }
    expect(accepted).toBeGreaterThan(2000);
  });
});
