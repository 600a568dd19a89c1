import { testApp } from '../helpers/app';

it('walks a follower from the menu to a face-check link', async () => {
  const t = await testApp();
  const f = t.follower();
  const lines: string[] = [];
  lines.push(await f.tap('CERT_START'));
  lines.push(await f.say('1'));
  lines.push(await f.say('1'));
  lines.push(await f.say('11010519491231002X'));
  lines.push(await f.say('王秀英'));
  lines.push(await f.say('13912342345'));
  lines.push(await f.say('1'));
  console.log(lines.join('\n-----\n'));
  await t.close();
});
