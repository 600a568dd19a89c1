/**
 * Turns what a follower typed (or what WeChat's speech recognition heard) into the canonical form
 * the knowledge base is indexed in. The same function normalises questions, keywords and examples
 * at load, so every rule here applies to both sides and can never make them drift apart.
 *
 * Only Han characters, latin letters and digits survive; everything else (punctuation, spaces,
 * emoji) only marks a clause boundary, which matters for the sentence-final particles below.
 */

/** Spoken openers and hedges that carry no content. Longest first, so 想问一下 goes before 一下. */
const FILLERS: readonly string[] = [
  '我想问一下', '想问一下', '我想问问', '想问问', '我想问个', '想问个', '我想问', '请问一下', '请问', '问一下', '问问', '问个',
  '麻烦问下', '麻烦您', '麻烦你', '您好', '你好', '谢谢您', '谢谢你', '谢谢', '同志', '领导',
  '就是说', '就是', '那个', '一下子', '一下', '哎呀', '哎', '唉', '喂', '嗯', '呃', '啊',
  '你给说说', '给我说说', '给说说', '你说说', '说说', '告诉我',
];

/** All fillers in one pass; the alternation keeps the list's order, so longer ones win. */
const FILLER = new RegExp(FILLERS.join('|'), 'g');

/**
 * Particles that are noise at the end of a clause but content elsewhere (哈 in 哈尔滨, 吧 in 网吧,
 * 呢 in 呢子), so they are removed only right before a boundary.
 */
// Tried only where a run of particles begins: from inside a run the end is the same (linear, not quadratic).
const CLAUSE_END = /(?<![吧呢呀嘛哦哈啦哇噢喔咯捏])[吧呢呀嘛哦哈啦哇噢喔咯捏]+(?=\s|$)/gu;

/**
 * A clause that ends in 不 / 没 asks a question (能认证不 = 能认证吗, 成了没 = 成了吗), except
 * after 还/也/都… where it is a plain negation (钱还没); so does 能…不能 (能认证不能).
 */
const CLAUSE_END_QUESTION = /(?<=\p{Script=Han})(?<![还也都就并从决绝再])(?:不|没有|没)(?=\s|$)/gu;
const CAN_OR_CANNOT = /(能[^\s]*?)不能(?=\s|$)/gu;

/**
 * Colloquial variants, dialect words and speech-recognition / pinyin-input slips, each mapped to
 * the form the knowledge base uses. Order matters: slips are fixed first (人设app is the APP too),
 * and within a rule longer alternatives come first.
 */
const VARIANTS: ReadonlyArray<readonly [RegExp, string | ((...m: string[]) => string)]> = [
  // Pinyin/voice slips of the words this domain lives on: same sound, wrong character.
  [/认正|认征|人证|忍证|认症|任证|任正/g, '认证'],
  [/试别|实别/g, '识别'],
  [/人设|人射|仁社/g, '人社'],
  [/外低|外弟/g, '外地'],
  [/大自版|大子版/g, '大字版'],
  [/周其|周七/g, '周期'],
  [/十名认证|实明/g, '实名认证'],
  [/遗嘱|移属/g, '遗属'],
  [/冒令/g, '冒领'],
  [/摊痪|瘫换|摊换/g, '瘫痪'],
  [/只能手机|智慧手机|智能机/g, '智能手机'],
  [/身分证|身份正/g, '身份证'],
  [/养老今|养老经|养老京/g, '养老金'],
  [/退修/g, '退休'],
  [/刷连|刷睑|扫脸|扫连/g, '刷脸'],
  // 照个脸, 拍个脸: the face check said otherwise (照脸 and 拍脸 are what people do to a phone).
  [/[照拍]个?脸/g, '刷脸'],
  // 刷脸支付, 刷脸进站: paying or passing a gate by face is not the certification's face check.
  [/刷脸(?=支付|付款|付钱|乘车|坐车|进站|开门|解锁|取款|取钱)/g, ''],
  [/人连|人睑/g, '人脸'],
  [/公重号|公众好|工众号/g, '公众号'],
  [/登陆/g, '登录'],
  // 不会使手机: 使 is 用 after 会 (but 使馆 stays).
  [/会使(?![馆劲])/g, '会用'],
  // "how": the notice writes 如何, people say 怎么/咋/怎样.
  [/怎么样|咋样|怎样|如何|咋个|咋/g, '怎么'],
  [/怎么整|怎么弄好/g, '怎么办'],
  [/啥时候|啥时间|什么时间|几时|何时/g, '什么时候'],
  [/啥/g, '什么'],
  [/哪儿|哪块|哪旮旯/g, '哪里'],
  [/俺|咱/g, '我'],
  [/没得|木有|莫得|冇/g, '没有'],
  [/没(?!有)/g, '没有'],
  // 得不得 / 还用: "is it still needed" (今年还得不得认证, 还用认证吗).
  [/得不得/g, '要不要'],
  [/还用(?![户过])/g, '还要'],
  // 得 (děi) as "must": 也得认证 = 也要认证.
  [/([也都还就])得/g, '$1要'],
  [/必须得|得要/g, '必须'],
  // 一回 = 一次 (but 一回来 is "as soon as I get back").
  [/([一两二三几])回(?![来去家])/g, '$1次'],
  // The app: 人社APP, 内蒙古人社, 内蒙人社软件… all mean the one APP; 人社局 stays the bureau.
  [/(?:内蒙古?)?人社(?:app|软件|客户端)?(?![局厅部])/g, 'APP'],
  [/app|软件|客户端/g, 'APP'],
  // Dates and months: 30号 → 30日, 三月份 → 3月.
  [/([0-9]+)号/g, '$1日'],
  [/(十[一二]|[一二三四五六七八九十])月/g, (_: string, n: string) => `${monthNumber(n)}月`],
  [/月份/g, '月'],
  // The pension has many names.
  [/退休金|退休工资|养老钱|养老费/g, '养老金'],
  // What retirees call the yearly check.
  [/年审|年检|生存认证|生存验证|验证|核验/g, '认证'],
];

const MONTHS = '一二三四五六七八九十';
function monthNumber(n: string): number {
  return n.length === 2 ? 10 + MONTHS.indexOf(n[1]!) + 1 : MONTHS.indexOf(n) + 1;
}

/** Everything that is not a Han character, a latin letter or a digit. */
const NON_CONTENT = /[^\p{Script=Han}a-z0-9]+/gu;

export function normalize(text: string): string {
  // NFKC folds full-width digits/letters and compatibility forms (①, ｆｕｌｌ) into plain ones.
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(NON_CONTENT, ' ');
  s = s.replace(FILLER, ' ');
  s = s.replace(/\s+/g, ' ').replace(CLAUSE_END, '').replace(CAN_OR_CANNOT, '$1吗').replace(CLAUSE_END_QUESTION, '吗');
  s = s.replace(/\s+/g, '');
  for (const [pattern, replacement] of VARIANTS) s = s.replace(pattern, replacement as (m: string) => string);
  return s;
}
