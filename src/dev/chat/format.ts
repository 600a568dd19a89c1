import type { CustomMessage } from '../fake-wechat-api';

/** WeChat's cap on a text reply's Content. */
const TEXT_MAX_BYTES = 2048;
const WECHAT_FALLBACK = '该公众号暂时无法提供服务，请稍后再试';

/** Terminal columns of `s`: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return width;
}

/** Indents continuation lines under a label, so a long reply reads as one bubble. */
function bubble(label: string, text: string): string[] {
  const pad = ' '.repeat(displayWidth(label) + 1);
  return text.split(/\r?\n/).map((line, i) => (i === 0 ? `${label} ${line}` : `${pad}${line}`));
}

/**
 * A reply as a follower would see it, from the fields of the opened reply XML (`{}` for `success`
 * or an empty body). Things WeChat would refuse or show differently are flagged with `!`.
 */
export function formatReply(fields: Readonly<Record<string, string>>, expect: { openid: string; account: string }): string[] {
  const notes: string[] = [];
  if (Object.keys(fields).length === 0) return ['公众号 › (没有回复 no reply)'];
  if (fields['ToUserName'] !== expect.openid) notes.push(`! ToUserName is ${JSON.stringify(fields['ToUserName'])}, expected the follower's openid`);
  if (fields['FromUserName'] !== expect.account) notes.push(`! FromUserName is ${JSON.stringify(fields['FromUserName'])}, expected ${expect.account}`);
  switch (fields['MsgType']) {
    case 'text': {
      const content = fields['Content'] ?? '';
      if (content.trim() === '') return [...notes, `! empty Content: WeChat shows「${WECHAT_FALLBACK}」`];
      const size = Buffer.byteLength(content, 'utf8');
      if (size > TEXT_MAX_BYTES) notes.push(`! Content is ${size} bytes; WeChat caps text at ${TEXT_MAX_BYTES}`);
      return [...bubble('公众号 ›', content), ...notes];
    }
    case 'news': {
      const parts = [`【${fields['Title'] ?? ''}】`, fields['Description'] ?? '', fields['Url'] ? `→ ${fields['Url']}` : ''].filter((s) => s !== '');
      return [...bubble('公众号 ›', parts.join('\n')), ...notes];
    }
    default:
      return [`公众号 › [${fields['MsgType'] ?? 'no MsgType'}]`, ...notes];
  }
}

/** What the follower sees when the server fails WeChat: an error status, a timeout, garbage. */
export function formatFailure(why: string): string[] {
  return [`! ${why}`, `公众号 › ${WECHAT_FALLBACK}  (WeChat's own message)`];
}

/** A customer-service message the server sent through WeChat's API. */
export function formatCustomerService(m: CustomMessage): string[] {
  return bubble('公众号 [客服消息] ›', m.content);
}
