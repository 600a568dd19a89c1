import { loadSampleKb, sampleVars } from '../../scripts/eval-faq';
import {
  buildKnowledgeBase,
  formatAnswer,
  listTopics,
  match,
  MAX_REPLY_BYTES,
  MAX_SHORT_BYTES,
  normalize,
  type FaqEntry,
  type KnowledgeBase,
} from '../../src/faq';

const kb: KnowledgeBase = loadSampleKb();
const vars = sampleVars();

const answeredWith = (text: string): string | null => {
  const r = match(kb, text);
  return r.kind === 'answer' ? r.entry.id : null;
};

describe('normalize', () => {
  it.each([
    ['full-width digits and letters become plain', '６月３０号ＡＰＰ', '6月30日APP'],
    ['punctuation, spaces and emoji disappear', '认证，  怎么  做？😊！', '认证怎么做'],
    ['spoken fillers go, content stays', '那个，请问一下，嗯，资格认证是从几月份开始的啊？', '资格认证是从几月开始的'],
    ['a sentence-final particle goes but 哈 in 哈尔滨 stays', '我在哈尔滨呢，能认证吧', '我在哈尔滨能认证'],
    ['咋/啥/俺 become 怎么/什么/我', '俺咋认证啥时候', '我怎么认证什么时候'],
    ['every name of the app becomes APP', '内蒙古人社app、人社APP、内蒙人社软件', 'APPAPPAPP'],
    ['人社局 is the bureau, not the app', '人社局电话', '人社局电话'],
    ['pinyin slips are fixed', '只能手机认正', '智能手机认证'],
    ['任证 and 试别 are fixed too', '任证人脸试别', '认证人脸识别'],
    ['Chinese month numerals become digits', '十二月份和三月', '12月和3月'],
    ['一回 is 一次 but 一回来 is not', '认证过一回，一回来就弄', '认证过一次一回来就弄'],
    ['别人 is not mistaken for 识别', '用别人的手机', '用别人的手机'],
    ['nothing left of pure chatter', '你好！谢谢啊～', ''],
    ['a clause-final 不 or 没 asks, like 吗', '能认证不，成了没', '能认证吗成了吗'],
    ['but 还没 stays a plain "not yet"', '钱还没', '钱还没有'],
    ['得不得 and 还用 mean "is it still needed"', '还得不得认证，还用认证不', '还要不要认证还要认证吗'],
    ['扫脸 is 刷脸, but paying by face is not the face check', '扫脸认证，刷脸支付', '刷脸认证支付'],
    ['想问个 is a spoken opener too', '我想问个问题', '问题'],
  ])('%s', (_, input, expected) => {
    expect(normalize(input)).toBe(expected);
  });
});

describe('match: each topic is found from how people actually ask', () => {
  it.each([
    ['who-must-certify', '谁需要做养老待遇资格认证'],
    ['who-must-certify', '还没领养老金要认证不'],
    ['window', '认证截止到几号'],
    ['window', '今年认证啥时候开始'],
    ['how-often', '一年认证几回'],
    ['how-often', '我前两天认证过了还用再认证吗'],
    ['not-yet-cycle', '提示未到认证周期咋办'],
    ['not-yet-cycle', '为啥说还没到认证周期'],
    ['missed-window', '过了6月30号还能认证吗'],
    ['missed-window', '忘记认证了钱还能补吗'],
    ['how-app', '内蒙古人社app怎么认证'],
    ['how-app', '手机上认证的步骤'],
    ['how-account', '在微信上怎么认证'],
    ['how-account', '不想下载软件，公众号能认证不'],
    ['large-print', '字太小了 看不清楚'],
    ['large-print', '有没有老年人大字版'],
    ['others-phone', '一个手机能认证两个人吗'],
    ['others-phone', '认证需要登录吗'],
    ['realname-vs-qualification', '实名认证了还要做资格认证吗'],
    ['realname-vs-qualification', 'APP实名注册算不算认证'],
    ['which-category', '认证类别选哪个'],
    ['which-category', '领遗属待遇的选什么'],
    ['special-illness', '我爸瘫痪在床上怎么认证'],
    ['special-illness', '老人眨不了眼睛认证不了'],
    ['no-smartphone', '老年机能认证吗'],
    ['no-smartphone', '没手机咋认证'],
    ['relatives-help', '子女可以替老人认证吗'],
    ['relatives-help', '怎么给我妈做认证'],
    ['offline-help', '不会弄，去哪找人帮忙'],
    ['offline-help', '可以上门认证吗'],
    ['away-from-home', '在外地怎么认证'],
    ['away-from-home', '人在海南过冬，要回去认证吗'],
    ['abroad', '在国外定居咋认证'],
    ['abroad', '孩子在加拿大，我跟着去了，怎么认证'],
    ['phone-numbers', '社保的电话是多少'],
    ['phone-numbers', '城乡股电话'],
    ['false-claims', '冒领养老金犯法吗'],
    ['false-claims', '冒名顶替领养老金会怎么样'],
    ['death-in-family', '老人去世了怎么办'],
    ['death-in-family', '我爸走了 卡里的钱还在打'],
    ['face-own', '儿子能代替我刷脸吗'],
    ['face-own', '用照片能刷脸吗'],
    ['face-check-fails', '我刷不了脸怎么办'],
    ['face-check-fails', '人脸识别老是失败'],
    ['check-result', '怎么查认证结果'],
    ['check-result', '怎么知道认证成功了没有'],
    ['no-fee', '认证要交钱吗'],
    ['no-fee', '认证收费不'],
    ['official-account', '你们是不是骗子'],
    ['official-account', '这个公众号是官方的吗'],
  ])('%s ← "%s"', (id, text) => {
    expect(answeredWith(text)).toBe(id);
  });

  it('copes with a long voice message full of fillers', () => {
    expect(answeredWith('喂，你好，那个我想问一下啊，我们家老爷子呢，今年八十多了，嗯，瘫在床上起不来，这个认证咋弄啊？')).toBe('special-illness');
  });

  it('has the entries of the notice plus the six of issue 15, and the topics it does not answer', () => {
    const ids = kb.entries.map((e) => e.id);
    for (const id of ['face-own', 'death-in-family', 'check-result', 'no-fee', 'official-account', 'face-check-fails']) expect(ids).toContain(id);
    expect(listTopics(kb)).toHaveLength(25);
    expect(kb.entries.filter((e) => e.scope === 'elsewhere').length).toBeGreaterThanOrEqual(5);
  });
});

describe('match: what it must not answer', () => {
  const ours = (text: string) => {
    const r = match(kb, text);
    return r.kind === 'answer' && r.entry.scope === 'faq' ? r.entry.id : null;
  };

  it.each(['今天天气怎么样', '医保余额怎么查', '公积金怎么取', '张惠妹演唱会门票多少钱', '你好', '谢谢', '社保卡丢了怎么补办', '', '   ', '😊😊'])(
    'gives no answer of its own to off-topic "%s"',
    (text) => {
      expect(ours(text)).toBeNull();
    },
  );

  it.each([
    ['子女的养老金几号发', 'elsewhere-payment-day'],
    ['城乡居民养老保险一年交多少钱', 'elsewhere-contributions'],
    ['我妈的高龄补贴怎么领', 'elsewhere-allowance'],
    ['住院了医保能报多少', 'elsewhere-medical'],
    ['社保卡丢了咋补办', 'elsewhere-card'],
  ])('does not let one shared word answer "%s": it is %s, not ours', (text, id) => {
    const r = match(kb, text);
    expect(r.kind === 'answer' ? r.entry.id : r.kind).toBe(id);
  });

  it.each([
    ['社区医院几点开门', 'offline-help'],
    ['能上门修水管吗', 'offline-help'],
    ['老年人坐公交免费吗', 'no-fee'],
    ['北京天气怎么样', 'away-from-home'],
  ])('does not answer "%s" on one everyday word it shares with %s', (text, id) => {
    const r = match(kb, text);
    expect(r.kind === 'answer' ? r.entry.id : null).not.toBe(id);
  });

  it.each([
    ['能上门吗', 'offline-help'],
    ['社区能上门认证不', 'offline-help'],
    ['６月底之前做完就行吧', 'window'],
  ])('still answers "%s", where the everyday word is the whole question or certification is named', (text, id) => {
    expect(ours(text)).toBe(id);
  });

  it.each(['认证', '手机', '怎么办'])('offers choices rather than guessing on the vague "%s"', (text) => {
    expect(match(kb, text).kind).toBe('suggest');
  });

  it('never offers a topic it does not answer as a choice', () => {
    const offered = ['养老金', '交钱', '补贴', '社保', '认证', '手机', '怎么办'].flatMap((text) => {
      const r = match(kb, text);
      return r.kind === 'suggest' ? r.entries : [];
    });
    // Vague words are offered choices at all (else this would check nothing), and only answered topics.
    expect(offered.length).toBeGreaterThan(0);
    for (const e of offered) expect(e.scope).toBe('faq');
  });

  it('answers what a relative\'s absence does not change: there is no smartphone', () => {
    expect(ours('老人家里没智能手机也没有子女在身边')).toBe('no-smartphone');
  });
});

describe('answers', () => {
  it('every formatted answer fits a WeChat text reply; its own read 问…答…, the others say who can answer', () => {
    for (const e of kb.entries) {
      const text = formatAnswer(e);
      expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_REPLY_BYTES);
      if (e.scope === 'faq') expect(text).toMatch(/^问：.+\n答：/s);
      else expect(text).toMatch(/这里(?:答不了|办不了|查不到)[\s\S]*(?:\d{5}|0471-)/);
    }
  });

  it('cuts an over-long entry built elsewhere at a character boundary', () => {
    const long: FaqEntry = { id: 'x', question: '很长', answer: '认证'.repeat(2000), short: '认证', scope: 'faq' };
    const text = formatAnswer(long);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(text.endsWith('…')).toBe(true);
  });

  it('has every placeholder rendered: facts, phone numbers and the window', () => {
    for (const e of kb.entries) expect(`${e.question}${e.answer}`).not.toMatch(/\{\{|\}\}/);
    const byId = new Map(kb.entries.map((e) => [e.id, e]));
    const phones = byId.get('phone-numbers')!.answer;
    for (const key of ['phone.supervision', 'phone.audit', 'phone.jiguan', 'phone.chengxiang']) expect(phones).toContain(vars[key]);
    const window = byId.get('window')!.answer;
    expect(window).toContain('3月11日');
    expect(window).toContain('6月30日');
    expect(byId.get('missed-window')!.answer).toContain('2024年7月');
  });

  it('says first what matters, and in plain words rather than the notice\'s', () => {
    const first = (id: string) => formatAnswer(kb.entries.find((e) => e.id === id)!).split('\n')[1]!;
    expect(first('face-own')).toMatch(/^答：不可以。刷脸必须是领养老金的老人本人/);
    expect(first('relatives-help')).toMatch(/^答：可以帮。.*刷脸必须是老人本人的脸/);
    expect(first('no-fee')).toMatch(/^答：不要钱。/);
    expect(first('which-category')).toBe('答：领养老金（退休金）的，选“养老资格认证”。');
    expect(first('realname-vs-qualification')).toMatch(/^答：不算。APP实名认证不是待遇资格认证/);
    for (const e of kb.entries) expect(e.answer).not.toMatch(/具备.*条件的|依照上述步骤/);
  });

  it('tells a grieving family what to do under a heading that accuses no one', () => {
    const death = kb.entries.find((e) => e.id === 'death-in-family')!;
    expect(death.question).not.toMatch(/虚报|冒领|责任/);
    expect(death.answer).toMatch(/^请节哀。/);
    expect(death.answer).toContain('告诉社保中心');
    expect(death.answer).toContain('退回');
    expect(kb.entries.find((e) => e.id === 'false-claims')!.answer).not.toContain('去世后，家属');
  });

  it('lists topics in file order, without the ones it does not answer', () => {
    const topics = listTopics(kb);
    expect(topics[0]).toEqual({ id: 'who-must-certify', question: kb.entries[0]!.question });
    expect(topics.map((t) => t.id)).toEqual(kb.entries.filter((e) => e.scope === 'faq').map((e) => e.id));
  });

  it('gives every entry a short answer that two of fit one reply with room to spare', () => {
    for (const e of kb.entries) {
      expect(e.short.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(`问：${e.question}\n答：${e.short}`, 'utf8')).toBeLessThanOrEqual(MAX_SHORT_BYTES);
    }
  });
});

describe('loading the knowledge base', () => {
  const entry = (id: string, extra = ''): string =>
    `  - id: ${id}\n    question: 问题\n    answer: 回答{{office.app}}\n    keywords: [认证]\n${extra}`;
  const build = (...texts: string[]) => buildKnowledgeBase(texts.map((text, i) => ({ file: `faq/${i + 1}.yaml`, text })), vars);

  it('accepts a minimal valid file and renders its placeholders', () => {
    expect(build(`entries:\n${entry('a')}`).entries[0]!.answer).toBe('回答内蒙古人社');
  });

  it('refuses a duplicate id, naming both files', () => {
    expect(() => build(`entries:\n${entry('a')}`, `entries:\n${entry('a')}`)).toThrow(/faq\/2\.yaml: entry "a": id already used in faq\/1\.yaml/);
  });

  it('refuses an empty answer, naming the file and the entry', () => {
    const text = 'entries:\n  - id: empty\n    question: 问题\n    answer: "  "\n    keywords: [认证]\n';
    expect(() => build(text)).toThrow(/faq\/1\.yaml: entry "empty": answer must not be empty/);
  });

  it('refuses a missing keyword list and an unknown field', () => {
    expect(() => build('entries:\n  - id: k\n    question: 问\n    answer: 答\n')).toThrow(/entry "k": keywords/);
    expect(() => build(`entries:\n${entry('k', '    answr: typo\n')}`)).toThrow(/entry "k".*answr/);
  });

  it('refuses a placeholder with no value, naming the entry', () => {
    const text = 'entries:\n  - id: p\n    question: 问\n    answer: 打{{phone.nope}}\n    keywords: [电话]\n';
    expect(() => build(text)).toThrow(/entry "p" answer: no value for \{\{phone\.nope\}\}/);
  });

  it('refuses a keyword that normalisation would erase', () => {
    const text = 'entries:\n  - id: f\n    question: 问\n    answer: 答\n    keywords: [认证, 你好吧]\n';
    expect(() => build(text)).toThrow(/entry "f": keyword "你好吧" is only filler/);
  });

  it('refuses an answer too long for WeChat', () => {
    const text = `entries:\n  - id: long\n    question: 问\n    answer: ${'认证'.repeat(400)}\n    keywords: [认证]\n`;
    expect(() => build(text)).toThrow(/entry "long".*bytes/);
  });

  it('picks the answer of the phase it is built for, and refuses a phased answer missing one', () => {
    const phased = 'entries:\n  - id: w\n    question: 什么时候\n    answer:\n      before: 还没开始\n      during: 现在就可以\n      after: 已经结束\n    keywords: [时间]\n';
    const at = (phase: 'before' | 'during' | 'after') => buildKnowledgeBase([{ file: 'faq/1.yaml', text: phased }], vars, phase).entries[0]!.answer;
    expect([at('before'), at('during'), at('after')]).toEqual(['还没开始', '现在就可以', '已经结束']);
    expect(() => build(phased.replace('      after: 已经结束\n', ''))).toThrow(/entry "w".*answer/);
  });

  it('uses the first line of the answer as the short one, unless a short one is written', () => {
    const two = 'entries:\n  - id: s\n    question: 问\n    answer: |-\n      第一行\n      第二行\n    keywords: [认证]\n';
    expect(build(two).entries[0]!.short).toBe('第一行');
    expect(build(two.replace('    keywords', '    short: 简短\n    keywords')).entries[0]!.short).toBe('简短');
  });

  it('refuses a short answer that ends with a colon and so says nothing on its own', () => {
    const text = 'entries:\n  - id: c\n    question: 问\n    answer: |-\n      有三个办法：\n      一、二、三\n    keywords: [认证]\n';
    expect(() => build(text)).toThrow(/entry "c": the short answer ends with/);
  });

  it('keeps the whole answer of an elsewhere entry as its short one, number included', () => {
    const text = 'entries:\n  - id: e\n    scope: elsewhere\n    question: 医保\n    answer: |-\n      这里答不了。\n      请打12393。\n    keywords: [医保]\n';
    expect(build(text).entries[0]!.short).toContain('12393');
  });

  it('refuses a short answer too long to share a reply with another', () => {
    const text = `entries:\n  - id: s\n    question: 问\n    answer: 答\n    short: ${'认证'.repeat(120)}\n    keywords: [认证]\n`;
    expect(() => build(text)).toThrow(/entry "s".*short answer/);
  });

  it('keeps an elsewhere entry out of the topics', () => {
    const kb2 = build(`entries:\n${entry('a')}  - id: b\n    scope: elsewhere\n    question: 医保\n    answer: 请打电话问\n    keywords: [医保]\n`);
    expect(listTopics(kb2).map((t) => t.id)).toEqual(['a']);
    expect(formatAnswer(kb2.entries[1]!)).toBe('请打电话问');
  });

  it('refuses a file that is not YAML or has no entries', () => {
    expect(() => build('entries: [')).toThrow(/faq\/1\.yaml: not valid YAML/);
    expect(() => build('entries: []')).toThrow(/faq\/1\.yaml: entries needs at least one entry/);
  });
});

describe('a pasted essay', () => {
  it('is read only as far as a question goes, so one message cannot cost much', () => {
    const essay = '我想问一下认证的事情'.repeat(2000);
    expect(match(kb, essay)).toEqual(match(kb, essay.slice(0, 300)));
    expect(match(kb, essay).kind).not.toBe('answer');
  });
});
