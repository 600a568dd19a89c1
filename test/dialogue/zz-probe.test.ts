import { testApp } from '../helpers/app';
import { parseName } from '../../src/dialogue/person';
import { faqPort } from '../../src/compose';
import { loadKnowledgeBase } from '../../src/faq';
import { TEMPLATES_DIR } from '../../src/paths';
import path from 'node:path';

it('probe', async () => {
  const t = await testApp();
  const port = faqPort(loadKnowledgeBase(path.join(TEMPLATES_DIR, 'faq'), t.rt.content.vars));
  const qs = ['怎么认证', '认证要多久', '要带什么', '为什么要认证', '去哪里办', '我妈做不了动作怎么办', '需要本人吗', '能不能上门', '在外地能认证吗', '没有智能手机怎么办',
   '老人在国外怎么办', '认证几次', '什么时候截止', '打哪个电话', '实名认证算不算', '选哪个类别', '停发了能补吗', '不知道身份证号', '我是他女儿可以吗', '字太小', '人脸识别不过怎么办', '有大字版吗', '谁需要认证', '能上门吗', '怎么办', '什么意思', '为什么', '不会', '听不懂'];
  const lines: string[] = [];
  for (const q of qs) { const m = port.match(q); lines.push(`${q}\tname=${parseName(q).ok}\t${m.kind}\t${m.kind === 'answer' ? m.id : m.kind === 'suggest' ? m.options.map(o => o.id).join(',') : ''}`); }
  let max = 0; for (const tp of port.topics()) { const a = port.answer(tp.id)!; const b = Buffer.byteLength(a); max = Math.max(max, b); lines.push(`${tp.id} ${b}`); }
  lines.push(`max ${max}`);
  console.log(lines.join('\n'));
  await t.close();
});
