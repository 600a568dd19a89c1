import { testApp, type Follower, type TestApp } from '../helpers/app';
import { PROMPTS, lastLine } from '../helpers/certify';

/** What a follower reads for the questions of issue 15, asked as relatives really ask them. */

const LIMIT = 2048;
const ID = '11010519491231002X';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

/** The lines after each 答：, in order. */
const answers = (reply: string): string[] => [...reply.matchAll(/^答：(.*)$/gm)].map((m) => m[1]!);
const questions = (reply: string): string[] => [...reply.matchAll(/^问：(.*)$/gm)].map((m) => m[1]!);

describe('thanks and OKs', () => {
  it.each(['谢谢', '好的 知道了', '谢谢你啊', '好的，明白了，谢谢'])('"%s" gets a short kind reply, never "I cannot answer that"', async (text) => {
    const reply = await t.follower().say(text);
    expect(reply.split('\n')[0]).toBe('不客气！');
    expect(reply).not.toContain('回答不了');
    expect(lastLine(reply)).toContain('发送“认证”');
  });
});

describe('a request to certify said in a sentence', () => {
  it.each(['帮我认证一下', '我要给我妈认证。', '我现在就想认证', '给我爸做个认证吧', '能帮我认证吗'])('"%s" starts the certification', async (text) => {
    expect(lastLine(await t.follower().say(text))).toBe(PROMPTS.notice);
  });

  it.each(['给俺爸弄个认证', '给我们老两口认证', '给我岳母办一下', '那个，你帮我给我爸弄一下这个认证吧。', '好的，帮我认证'])(
    '"%s", naming whoever it is for, starts the certification',
    async (text) => {
      expect(lastLine(await t.follower().say(text))).toBe(PROMPTS.notice);
    },
  );

  it.each(['怎么给我妈认证', '我能替我妈认证吗', '子女能帮着认证不'])('"%s" is a question, answered rather than started', async (text) => {
    const reply = await t.follower().say(text);
    expect(reply).not.toContain('【办理须知】');
    expect(reply).toMatch(/答：|您是不是想问/);
  });
});

describe('thanks with what the follower will do next', () => {
  it.each(['行嘞，那我回头让我儿子弄。', '好的 我明天再弄', '谢谢啊 我试试', '嗯，那个，行，好的，那我回头让我儿子给我弄一下吧，谢谢啊。'])(
    '"%s" gets a short kind reply, never "I cannot answer that"',
    async (text) => {
      const reply = await t.follower().say(text);
      expect(reply.split('\n')[0]).toBe('不客气！');
      expect(reply).not.toContain('回答不了');
    },
  );

  it('a question after a thank-you is still answered: 谢谢 那我怎么认证', async () => {
    const reply = await t.follower().say('谢谢 那我怎么认证');
    expect(reply.split('\n')[0]).not.toBe('不客气！');
    expect(reply).toMatch(/答：|您是不是想问/);
  });
});

describe('fragments', () => {
  it.each(['人脸', '那个认证', '请问一下', '嗯，那个，我想问一下那个。', '养老金'])('"%s" gets a kind question back and the menu, not a guess', async (text) => {
    const f = t.follower();
    const reply = await f.say(text);
    expect(reply).toContain('您想问认证的哪方面');
    expect(reply).toContain('1. 开始待遇资格认证');
    expect(reply).not.toContain('答：');
    expect(reply).not.toContain('您是不是想问');
    expect(lastLine(await f.say('1'))).toBe(PROMPTS.notice);
  });

  it.each([
    ['大字版', '有大字版。'],
    ['最晚几号', '现在就可以认证，请在6月30日前认证完。'],
  ])('"%s" is short but clear, and answered', async (text, first) => {
    expect(answers(await t.follower().say(text))[0]).toBe(first);
  });
});

describe('two questions in one message', () => {
  it.each([
    ['认证到几号截止 用别人的手机行不', ['集中认证时间是什么时候？', '可以用别人的手机认证吗？一部手机能给几个人认证？要登录吗？']],
    ['那个，认证一年几次啊，还有就是在外地能不能认证。', ['领取待遇资格认证每年认证几次？', '人在外地外省能否通过“内蒙古人社”APP认证？']],
    ['认证要钱吗在外地能认证吗', ['认证要交钱吗？', '人在外地外省能否通过“内蒙古人社”APP认证？']],
    ['刷脸老失败咋办 收不收钱', ['刷脸（人脸识别）一直不通过怎么办？', '认证要交钱吗？']],
    ['公众号里咋认证 是不是假的', ['怎样在微信公众号上做待遇资格认证？', '怎么知道这是不是社保部门的官方公众号？会不会是骗子？']],
    ['老人瘫床上咋认证，能用护工的手机不', ['因疾病或其他特殊原因不能做规定动作怎么认证？', '可以用别人的手机认证吗？一部手机能给几个人认证？要登录吗？']],
    ['字太小看不见 类别选啥', ['字太小看不清，有没有大字版？', '认证类别选哪一个？']],
  ])('"%s" gets both answers, short, in one reply', async (text, asked) => {
    const reply = await t.follower().say(text);
    expect(questions(reply)).toEqual(asked);
    expect(reply).not.toContain('您是不是想问');
    expect(Buffer.byteLength(reply, 'utf8')).toBeLessThanOrEqual(LIMIT);
    expect(lastLine(reply)).toContain('发送“认证”');
  });

  it('keeps one question with its situation one answer: 我妈没有智能手机 is not a second question', async () => {
    expect(questions(await t.follower().say('我妈没有智能手机 能用我手机给她认证吗'))).toHaveLength(1);
  });
});

describe('the asker\'s situation does not sink a good question', () => {
  it.each([
    ['我妈83了 今年还用认证不', '已经在领养老金的退休人员，不管多大岁数，每年都要认证一次。'],
    ['嗯，我老伴儿今年七十九了，在海南过冬呢，在那边能认证不。', '可以，不用回来。'],
    ['就是说我家老爷子九十了，今年还得不得做这个认证，他那个身体不太好。', '已经在领养老金的退休人员，不管多大岁数，每年都要认证一次。'],
    ['我舅在满洲里住 他的认证得回来做不', '可以，不用回来。'],
    ['我婆婆在临河我小姑子那住 认证得回呼市不', '可以，不用回来。'],
    ['我68了 八月份了还没认证 还给发钱不', '现在还在认证时间内，请在6月30日前认证，就不会停发。'],
    ['我老丈人七十八了 没有智能手机 咋认证', '没有智能手机也能认证，有三个办法：'],
  ])('"%s"', async (text, first) => {
    expect(answers(await t.follower().say(text))).toEqual([first]);
  });
});

describe('questions that are not this account\'s', () => {
  it.each([
    ['养老金几号发', '0471-3670075'],
    ['子女的养老金几号发', '0471-3670075'],
    ['城乡居民养老保险一年交多少钱', '12333'],
    ['医保报销比例是多少', '12393'],
    ['高龄补贴咋申请', '12345'],
    ['社保卡丢了咋补办', '12333'],
  ])('"%s" is told honestly that it is answered elsewhere, with the number that can answer it', async (text, phone) => {
    const reply = await t.follower().say(text);
    expect(reply).toMatch(/这里(?:答不了|办不了|查不到)/);
    expect(reply).toContain(phone);
    expect(reply).not.toContain('答：');
  });
});

describe('questions that share one word with an entry', () => {
  it.each(['草莓音乐节门票实名制吗', '手机卡实名制咋办', '刷脸支付安全吗', '广场舞音乐哪里下载', '上门送菜的电话多少', '孙子的户口在哪办'])(
    '"%s" gets no answer of ours',
    async (text) => {
      expect(await t.follower().say(text)).not.toContain('答：');
    },
  );
});

describe('the corrected and new answers', () => {
  it.each([
    ['儿子能代替我刷脸吗', /^不可以。刷脸必须是领养老金的老人本人/],
    ['家里人能帮老人认证吗', /^可以帮。家人可以帮老人拿手机、点屏幕、输入信息，但刷脸必须是老人本人的脸。/],
    ['老人去世了怎么办', /^请节哀。去世的老人不用再认证了。/],
    ['怎么查认证结果', /^在这里发送“认证”/],
    ['认证要交钱吗', /^不要钱。/],
    ['你们是不是骗子', /^您可以自己核实/],
    ['我刷不了脸怎么办', /^多试几次/],
    ['让我儿子照一下脸代替我行不', /^不可以。刷脸必须是领养老金的老人本人/],
    ['我爸腿脚不好 我替他刷一下行不行', /^不可以。刷脸必须是领养老金的老人本人/],
    ['认证收多少钱', /^不要钱。/],
    ['在这认证要多少钱', /^不要钱。/],
    ['咋分辨真假公众号', /^您可以自己核实/],
    ['刷脸的时候手机卡住不动了', /^多试几次/],
    ['嗯，刷着刷着手机就一直转圈圈，咋回事啊。', /^多试几次/],
    ['认证过了有没有短信通知', /^在这里发送“认证”/],
  ])('"%s"', async (text, first) => {
    const reply = await t.follower().say(text);
    expect(answers(reply)[0]).toMatch(first);
  });

  it('answers a death in the family under a heading that accuses no one', async () => {
    const reply = await t.follower().say('老人去世了怎么办');
    expect(reply).not.toMatch(/虚报|冒领|法律责任/);
    expect(reply).toContain('退回');
  });
});

describe('inside the certification dialogue', () => {
  async function atStep(answers: readonly string[]): Promise<Follower> {
    const f = t.follower();
    await f.say('认证');
    for (const a of answers) await f.say(a);
    return f;
  }

  it('a thank-you at the ID step is acknowledged, the step asked again, and nothing is lost', async () => {
    const f = await atStep(['1', '1']);
    const reply = await f.say('谢谢');
    expect(reply.startsWith('不客气！')).toBe(true);
    expect(lastLine(reply)).toBe(PROMPTS.id);
    expect(lastLine(await f.say(ID))).toBe(PROMPTS.name);
  });

  it('a thank-you at the name step never becomes a name', async () => {
    const f = await atStep(['1', '1', ID]);
    expect(lastLine(await f.say('谢谢'))).toBe(PROMPTS.name);
    expect(lastLine(await f.say('好的'))).toBe(PROMPTS.name);
    await f.say('王秀英');
    expect(await f.say('13912342345')).toContain('姓名：王*英');
  });

  it('two questions at the category step get both answers, then the step again, in one reply WeChat accepts', async () => {
    const f = await atStep(['1']);
    const reply = await f.say('一年认证几次 在外地能认证吗');
    expect(questions(reply)).toHaveLength(2);
    expect(lastLine(reply)).toBe(PROMPTS.category);
    expect(Buffer.byteLength(reply, 'utf8')).toBeLessThanOrEqual(LIMIT);
  });

  it('"帮我认证一下" in the middle of the dialogue keeps the follower at the step', async () => {
    const f = await atStep(['1', '1', ID, '王秀英']);
    const reply = await f.say('帮我认证一下');
    expect(reply).toContain('您正在办理认证');
    expect(lastLine(reply)).toBe(PROMPTS.phone);
  });
});
