import type { FakeSession } from './fake-faceid';

/**
 * What the fake FaceID shows and answers: its provider page (a development tool, not a follower's
 * page, so its words live here) and GetDetectInfoEnhanced's Text as documented (api/1007/41957).
 */

/** Result codes the page offers, with the provider's own descriptions (doc product/1007/31082). */
export const FAKE_CODES: readonly (readonly [number, string])[] = [
  [1201, '光线太暗'],
  [2010, '人脸不完整'],
  [1005, '活体检测未通过'],
  [1008, '用户网络不稳定'],
  [2006, '姓名和身份证号不一致'],
  [2005, '数据源中找不到照片'],
  [2016, '比对相似度未达到通过标准'],
  [16, '验证次数超限'],
];
const MESSAGES = new Map<number, string>([[0, '成功'], [15, 'Token已过期'], ...FAKE_CODES]);

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GetDetectInfoEnhanced's Text: ErrCode null until the person finishes. */
export function resultText(s: FakeSession): Record<string, unknown> {
  const r = s.result;
  if (!r) {
    return { ErrCode: null, ErrMsg: null, IdCard: '', Name: '', LiveStatus: null, LiveMsg: null, Comparestatus: null, Comparemsg: null, Sim: null, Extra: s.extra, LivenessDetail: [] };
  }
  const compared = r.errCode === 0 || r.errCode >= 2000;
  const live = compared ? 0 : r.errCode;
  const compare = compared ? r.errCode : null;
  const sim = r.errCode === 0 ? '92.31' : r.errCode === 2016 ? '41.20' : null;
  const msg = MESSAGES.get(r.errCode) ?? '未知错误';
  return {
    ErrCode: r.errCode,
    ErrMsg: msg,
    IdCard: r.idCard,
    Name: r.name,
    LiveStatus: live,
    LiveMsg: live === 0 ? '成功' : msg,
    Comparestatus: compare,
    Comparemsg: compare === null ? null : compare === 0 ? '成功' : msg,
    Sim: sim,
    Location: null,
    Extra: s.extra,
    LivenessDetail: [
      { ReqTime: String(s.createdAt), Seq: s.bizToken.toLowerCase(), Idcard: r.idCard, Name: r.name, Sim: sim, IsNeedCharge: compared, Errcode: r.errCode, Errmsg: msg, Livestatus: live, Livemsg: live === 0 ? '成功' : msg, Comparestatus: compare, Comparemsg: compare === null ? null : msg },
    ],
    CompareLibType: '权威库',
    LivenessMode: 2,
  };
}

/** The provider's page: pass, fail with a chosen code, pass for somebody else, or leave unfinished. */
export function fakeProviderPage(s: FakeSession): string {
  const back = `${s.redirectUrl}${s.redirectUrl.includes('?') ? '&' : '?'}BizToken=${encodeURIComponent(s.bizToken)}`;
  const fails = FAKE_CODES.map(([code, text]) => `<button class="fail" name="code" value="${code}">不通过：${escape(text)}（${code}）</button>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>模拟腾讯云人脸核身</title>
<style>
  body { margin: 0; padding: 12px 16px; font: 20px/1.5 "Noto Sans CJK SC", sans-serif; color: #111; }
  .band { margin: -12px -16px 12px; padding: 6px 16px; background: #fff1b8; border-bottom: 4px dashed #8a5a00; font-weight: 700; text-align: center; }
  button, a.leave { display: block; width: 100%; margin: 8px 0; padding: 12px; font: inherit; font-weight: 700; border-radius: 12px; border: 3px solid #111; background: #fff; text-align: center; color: #111; text-decoration: none; }
  button.pass { background: #0b6b2f; border-color: #0b6b2f; color: #fff; font-size: 26px; }
  button.fail { color: #8f0000; border-color: #8f0000; font-size: 18px; }
</style></head>
<body>
<p class="band">开发用的模拟页面：腾讯云人脸核身（FaceID）</p>
<h1>模拟人脸核身</h1>
<p>会话 ${escape(s.bizToken.slice(0, 8))}…；请选一个结果：</p>
<form method="post" action="/h5/${escape(s.bizToken)}/finish">
<button class="pass" name="code" value="0">通过</button>
${fails}
<button name="as" value="other">通过，但认出的是另一个人</button>
</form>
<a class="leave" href="${escape(back)}">不做完，直接返回</a>
</body></html>`;
}
