/**
 * Relatives describe the person before they ask: 我妈83了, 我舅在满洲里住, 我68, 八月份了, 户口在新城区.
 * Those words say who is asking, not what is asked, yet every one of them made the question look
 * less like any entry and pushed a good question under the bar. The matcher scores a question's
 * share of BM25 evidence on the question with these spans removed; keyword hits still see the whole
 * text, so 给我妈认证 (relatives-help) or 在包头 (away-from-home) keep their evidence.
 *
 * The spans are patterns, not lists of the places and relatives seen so far: any kinship term, any
 * place a person lives or stays at (在…住, 住在…, 在…那边), any age, any month.
 *
 * Works on normalised text (see normalize.ts): 俺 is already 我, 没 already 没有, 八月份 already 8月.
 */

/**
 * Ages: 83了, 八十六了, 七十多岁, 我68, 今年72, 岁数大了. A bare number is an age only right after
 * the person (我68, 今年72) and not before a unit (68块, 30日). A number run into a month (我65 五月份
 * normalises to 我655月) loses the age and keeps the month.
 */
const AGE = new RegExp(
  [
    '(?:今年|都|已经|快)?(?:[5-9][0-9]|1[01][0-9]|[五六七八九]十[一二三四五六七八九]?|一百)(?:多|来|好几)?(?:周岁|岁了|岁|了)',
    '(?<=我|他|她|今年|都|已经|快|老人)(?:[5-9][0-9]|1[01][0-9]|[五六七八九]十[一二三四五六七八九]?)(?:多)?(?![0-9多月日号年天块元次个分钟点岁])',
    '(?<=我|他|她|今年|都|已经|快|老人)[5-9][0-9](?=(?:1[0-2]|[1-9])月)',
    '(?:岁数|年纪|年龄)(?:也)?(?:大了|大|很大了)',
    '上了年纪',
  ].join('|'),
  'gu',
);

/**
 * Kinship terms, longest first. Two-character terms stand alone (舅舅, 孙子, 小姑子); one-character
 * ones (舅, 姨, 姐) only with a possessor or a rank before them (我舅, 她爸, 大姑, 二姨), so 姐 in
 * 小姐姐 or 哥 in 哥们 is not taken for a relative.
 */
const KIN_LONG = [
  '老丈人', '丈母娘', '小姑子', '小舅子', '大姨子', '小姨子', '外孙女', '外甥女', '儿媳妇', '老爷子', '老太太', '老太婆', '老头子',
  '爸妈', '爹妈', '父母', '公婆', '爸爸', '妈妈', '老爸', '老妈', '父亲', '母亲', '爷爷', '奶奶', '姥姥', '姥爷', '外公', '外婆', '公公', '婆婆', '岳父', '岳母',
  '老公', '老婆', '爱人', '媳妇', '对象', '老伴儿', '老伴', '儿子', '女儿', '闺女', '姑娘', '儿媳', '女婿', '孙子', '孙女', '外孙',
  '外甥', '侄子', '侄女', '侄儿', '舅舅', '舅妈', '姨妈', '姨夫', '姨父', '姑姑', '姑妈', '姑父', '姑夫', '叔叔', '婶婶', '婶子',
  '伯伯', '伯父', '伯母', '大爷', '大娘', '大伯', '哥哥', '姐姐', '弟弟', '妹妹', '嫂子', '弟媳', '姐夫', '妹夫', '亲家', '老头儿', '老头',
];
const KIN_SHORT = '[爸妈爹娘舅姨姑叔婶伯哥姐弟妹嫂]';
const POSSESSOR = '(?:我们家|我家|我们|我|他们|她们|他家|她家|他|她|自己)(?:的)?';
const RANK = '(?:大|二|三|四|五|小|老|表|堂)';
const PERSON = new RegExp(
  [
    '我们家老人', '我家老人', '家里老人', '我们老两口儿?', '老两口儿?', '我们俩', '我俩',
    `(?:${POSSESSOR})?${RANK}?(?:${KIN_LONG.join('|')})(?:家)?`,
    `${POSSESSOR}${RANK}?${KIN_SHORT}(?:家)?`,
    `${RANK}${KIN_SHORT}(?:家)?`,
    '我是(?:她|他)的?',
    '我们家', '我家',
  ].join('|'),
  'gu',
);

/** Where the person lives when it is home (呼市, 新城区): home says nothing about the question. */
const HOME_PLACE = /(?:户口)?(?:我们)?(?:在|住在|是)?(?:呼和浩特市?|呼市|新城区|本地)(?:住|这边|那边|的)?/gu;

/**
 * Any other place a person is at: 在满洲里住, 住在临河, 人在海拉尔, 在包头那边, 户口在扎兰屯. The place is
 * two to six characters ending where the sentence goes on (住, 那边, 能, 今年, 认证…). The words of a
 * question are never taken for a place: 在外地, 在国外, 在这上面, 在村里, 在床上, 在手机上 stay.
 */
const PLACE_END = '住|那边|这边|那儿|那里|那|呢|生活|养老|上班|打工|工作|过冬|看孩子|带孙子|看孙子|照顾|跟|和|今年|现在|能|可以|要|用|得|还|也|都|怎么|认证|办|弄|做|刷|吗|的|人|我|他|她|户口';
const PLACE = new RegExp(
  `(?:户口|人)?(?:住在|(?<![现还不正实存所好自])在|住|去了|到了)(\\p{Script=Han}{2,6}?)(住|那边|这边|那儿|那里|那|呢)?(?=${PLACE_END}|$)`,
  'gu',
);
/**
 * Words that make a "place" part of the question (外地 and 国外 are what two entries are about) or
 * show it is no place at all (不在了, 住得远, 还在打): a place name has no 了, 得, 又 in it. Home is
 * no other place.
 */
const NOT_A_PLACE =
  /外|国|境|这|那|哪|村|社区|街道|居委|家|床|医院|院|单位|窗口|大厅|手机|微信|公众号|网|线上|线下|上面|里面|APP|本地|当地|周期|时间|期间|身边|旁边|跟前|边上|附近|楼下|楼上|门口|对面|隔壁|以前|之前|之后|以后|月|日|号|认证|年|发|钱|养老|刷|脸|办|弄|查|交|领|说|提示|显示|用|给|帮|替|做|不|没|吗|[了着过的得地呢吧啊又再也都还就才让被把跟和与能会要想可是有到去来回问]|呼和浩特|呼市|新城区/u;
/**
 * What a place other than home stands for in the question: 在满洲里住 能认证不 asks what 在外面能认证不
 * asks. The place name itself is unknown to every entry and only made the question look like none.
 * A place an entry knows by name (海南, 加拿大: away-from-home, abroad) stays as it is.
 */
const ELSEWHERE = '在外面';

/** Whether a place is named by some entry's keywords (the matcher passes the knowledge base's). */
export type KnownWord = (place: string) => boolean;

/** The question with every place it names that no entry knows read as 在外地 (what keywords are matched on). */
export function placesAsElsewhere(normalised: string, known: KnownWord): string {
  return normalised.replace(PLACE, (span: string, place: string) => (NOT_A_PLACE.test(place) || known(place) ? span : ELSEWHERE));
}
/** 跟她住, 和孩子一起住: who the person lives with (the keywords still see 跟孩子住). */
const LIVES_WITH = /(?:跟|和)(?:他|她|我|孩子|儿女|子女)(?:们)?(?:一起)?住/gu;

/** Months and when: 8月, 八月份了 (already 8月), 今年, 去年, 现在… A date (6月30日) is kept. */
const MONTH = /(?:1[0-2]|[1-9])月(?:了)?(?![0-9底初中])/gu;
const WHEN = /今年|去年|现在|刚才|昨天|前几天|前两天|这两天|这几天|这个(?!月)/gu;

/** The asker's identity: 我是机关退休的, 领的是城乡居民养老保险 (keywords still see it). */
const IDENTITY = /我是[^是]{1,8}?(?:退休|养老)的|领的是[^是]{1,10}?(?:养老保险|养老金|待遇)/gu;

/** Without the people a sentence names (我妈, 俺俩, 我们老两口): what is left of a request to certify. */
export function withoutPeople(normalised: string): string {
  return normalised.replace(PERSON, '');
}

export function stripSituation(normalised: string, known: KnownWord = () => false): string {
  const s = normalised.replace(AGE, '').replace(PERSON, '').replace(HOME_PLACE, '').replace(LIVES_WITH, '');
  return placesAsElsewhere(s, known)
    .replace(MONTH, '')
    .replace(WHEN, '')
    .replace(IDENTITY, '');
}
