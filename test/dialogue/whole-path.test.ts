import { appOn, cnDate, complete, linkIn, masked, onEachStore, openPage, person, toLink, type AppOnStore } from '../helpers/certify';

/** The whole certification, from the menu button to the customer-service message, on both stores. */

const CATEGORIES = ['养老资格认证', '工伤资格认证', '养老遗属认证', '工伤遗属认证', '其他待遇认证'];
const MASKED_NAME = '乌***格';

onEachStore((adapter) => {
  let app: AppOnStore;
  beforeEach(async () => {
    app = await appOn(adapter);
  });
  afterEach(() => app.close());

  it.each(CATEGORIES.map((c, i) => [c, i + 1] as const))('certifies a person under %s, step by step, up to 认证成功', async (category, number) => {
    const { t } = app;
    const f = t.follower();
    const p = person();

    const notice = await f.tap('CERT_START');
    expect(notice).toContain('【办理须知】');
    expect(notice).toContain('本人已知悉以上规定');

    const categories = await f.say('1');
    for (const c of CATEGORIES) expect(categories).toContain(c);

    expect(await f.say(String(number))).toContain('请发送身份证号码');
    expect(await f.say(p.id)).toContain('请发送姓名');
    expect(await f.say(p.name)).toContain('请发送手机号码');

    const confirmation = await f.say(p.phone);
    expect(confirmation).toContain(`认证类别：${category}`);
    expect(confirmation).toContain(`身份证号：${masked.id(p.id)}`);
    expect(confirmation).toContain(`姓名：${MASKED_NAME}`);
    expect(confirmation).toContain(`手机号：${masked.phone(p.phone)}`);

    const linkReply = await f.say('1');
    const { url, token } = linkIn(linkReply);
    expect(url).toBe(`https://cert.example.test/face-check/${token}`);
    expect(linkReply).toContain(MASKED_NAME);
    expect(linkReply).toContain('15分钟内有效');

    const page = await openPage(t, token);
    expect(page.status).toBe(200);
    expect(page.text).toContain(MASKED_NAME);
    expect(page.text).toContain(category);
    expect(t.notifier.sent).toEqual([]);

    const done = await complete(t, token, { result: 'pass' });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ ok: true, result: 'pass' });

    expect(t.notifier.sent).toHaveLength(1);
    const message = t.notifier.sent[0]!;
    expect(message.openid).toBe(f.openid);
    expect(message.text).toContain('认证成功');
    expect(message.text).toContain(MASKED_NAME);
    expect(message.text).toContain(category);
    expect(message.text).toContain(cnDate(t.clock.ms));
    expect(message.text).toContain('2026年4月15日');
  });

  it('tells the follower a face check did not pass, how to try again and which offices to call', async () => {
    const { t } = app;
    const f = t.follower();
    const p = person();
    const { token } = await toLink(f, p);

    const done = await complete(t, token, { result: 'fail' });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ ok: true, result: 'fail' });

    expect(t.notifier.sent).toHaveLength(1);
    const { openid, text } = t.notifier.sent[0]!;
    expect(openid).toBe(f.openid);
    expect(text).toContain(`${MASKED_NAME}（身份证尾号${p.id.slice(-4)}）的人脸识别没有通过`);
    expect(text).not.toContain('认证成功');
    expect(text).toContain('再试一次请回复 1');
    expect(text).toContain('社会保险事业服务中心');
    expect(text).toContain('0471-3670679');
    expect(text).toContain('0471-3670075');
  });

  it('lets a follower whose face check failed send 认证 and try again with a new link', async () => {
    const { t } = app;
    const f = t.follower();
    const p = person();
    const first = await toLink(f, p);
    await complete(t, first.token, { result: 'fail' });

    // As the failure message says: send 认证. The notice was read already, so the categories come next.
    const again = await f.say('认证');
    expect(again).toContain('请选择认证类别');
    expect(again).not.toContain('链接已经发给您了');

    // A failed check writes no record: the same person goes on to the name step, not 本认证周期已认证.
    expect(await f.say('1')).toContain('请发送身份证号码');
    expect(await f.say(p.id)).toContain('请发送姓名');
    await f.say(p.name);
    await f.say(p.phone);
    const second = linkIn(await f.say('1'));
    expect(second.token).not.toBe(first.token);

    expect((await complete(t, second.token, { result: 'pass' })).status).toBe(200);
    expect(t.notifier.sent.map((m) => m.text)).toEqual([expect.stringContaining('没有通过'), expect.stringContaining('认证成功')]);
  });

  it.each(['1', '再试一次'])('gives a new link for the same person on %s after a failed face check, with nothing typed again', async (answer) => {
    const { t } = app;
    const f = t.follower();
    const p = person();
    const first = await toLink(f, p);
    await complete(t, first.token, { result: 'fail' });

    const reply = await f.say(answer);
    const second = linkIn(reply);
    expect(second.token).not.toBe(first.token);
    expect(reply).toContain(`${MASKED_NAME}（身份证尾号${p.id.slice(-4)}）`);
    expect((await openPage(t, second.token)).text).toContain(MASKED_NAME);

    expect((await complete(t, second.token, { result: 'pass' })).status).toBe(200);
    expect(t.notifier.sent.map((m) => m.text)).toEqual([expect.stringContaining('没有通过'), expect.stringContaining('认证成功')]);
    // Passed: the kept entries went with the verdict, and 再试一次 now only tells the result.
    expect(await f.say('再试一次')).toContain('认证成功');
  });

  it('lets the menu button start anew after a link was issued', async () => {
    const { t } = app;
    const f = t.follower();
    await toLink(f, person());
    const reply = await f.tap('CERT_START');
    expect(reply).toContain('请选择认证类别');
    expect(reply).not.toContain('办理须知');
  });
});
