import { loadSampleKb, sampleVars } from '../../scripts/eval-faq';
import {
  buildKnowledgeBase,
  formatAnswer,
  listTopics,
  match,
  MAX_REPLY_BYTES,
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
    ['false-claims', '老人去世了还领养老金会怎样'],
  ])('%s ← "%s"', (id, text) => {
    expect(answeredWith(text)).toBe(id);
  });

  it('copes with a long voice message full of fillers', () => {
    expect(answeredWith('喂，你好，那个我想问一下啊，我们家老爷子呢，今年八十多了，嗯，瘫在床上起不来，这个认证咋弄啊？')).toBe('special-illness');
  });

  it('covers every entry of the knowledge base with the questions above', () => {
    expect(kb.entries).toHaveLength(19);
  });
});

describe('match: what it must not answer', () => {
  it.each(['今天天气怎么样', '医保余额怎么查', '公积金怎么取', '张惠妹演唱会门票多少钱', '你好', '谢谢', '社保卡丢了怎么补办', '', '   ', '😊😊'])(
    'says none to off-topic "%s"',
    (text) => {
      expect(match(kb, text).kind).toBe('none');
    },
  );

  it.each(['认证', '养老金', '手机', '怎么办'])('offers choices rather than guessing on the vague "%s"', (text) => {
    const r = match(kb, text);
    expect(r.kind).toBe('suggest');
    if (r.kind === 'suggest') {
      expect(r.entries.length).toBeGreaterThanOrEqual(1);
      expect(r.entries.length).toBeLessThanOrEqual(3);
    }
  });

  it('offers both candidates when a question sits between two topics', () => {
    const r = match(kb, '老人家里没智能手机也没有子女在身边');
    expect(r.kind).toBe('suggest');
    if (r.kind === 'suggest') expect(r.entries.map((e) => e.id)).toContain('no-smartphone');
  });
});

describe('answers', () => {
  it('every formatted answer fits a WeChat text reply and reads 问…答…', () => {
    for (const e of kb.entries) {
      const text = formatAnswer(e);
      expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_REPLY_BYTES);
      expect(text).toMatch(/^问：.+\n答：/s);
    }
  });

  it('cuts an over-long entry built elsewhere at a character boundary', () => {
    const long: FaqEntry = { id: 'x', question: '很长', answer: '认证'.repeat(2000) };
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

  it('keeps the notice\'s official wording for its own questions', () => {
    const byId = new Map(kb.entries.map((e) => [e.id, e]));
    expect(byId.get('special-illness')!.answer).toBe('退休人员可由亲属代理辅助认证或联系原单位、各社保经办机构工作人员协助认证。');
    expect(byId.get('realname-vs-qualification')!.answer).toContain('APP实名认证不是待遇资格认证，也不能代替待遇资格认证。');
  });

  it('lists topics in file order', () => {
    const topics = listTopics(kb);
    expect(topics[0]).toEqual({ id: 'who-must-certify', question: kb.entries[0]!.question });
    expect(topics.map((t) => t.id)).toEqual(kb.entries.map((e) => e.id));
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

  it('refuses a file that is not YAML or has no entries', () => {
    expect(() => build('entries: [')).toThrow(/faq\/1\.yaml: not valid YAML/);
    expect(() => build('entries: []')).toThrow(/faq\/1\.yaml: entries needs at least one entry/);
  });
});

describe('speed', () => {
  it('stays quick on a pasted essay', () => {
    const start = process.hrtime.bigint();
    expect(match(kb, '我想问一下认证的事情'.repeat(2000)).kind).not.toBe('answer');
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(20);
  });

  it('matches a question in well under a millisecond', () => {
    const questions = ['我妈瘫在床上咋认证', '今年认证啥时候截止', '天气怎么样', '用别人的手机能认证吗'];
    for (let i = 0; i < 200; i++) match(kb, questions[i % 4]!);
    const n = 2000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) match(kb, questions[i % 4]!);
    const msEach = Number(process.hrtime.bigint() - start) / 1e6 / n;
    expect(msEach).toBeLessThan(0.5);
  });
});
