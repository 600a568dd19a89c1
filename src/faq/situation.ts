/**
 * Relatives describe the person before they ask: 我妈83了, 我家老爷子九十了, 我在包头, 去年认证过了.
 * Those words say who is asking, not what is asked, yet every one of them made the question look
 * less like any entry and pushed a good question under the bar. The matcher scores a question's
 * share of BM25 evidence on the question with these spans removed; keyword hits still see the whole
 * text, so 给我妈认证 (relatives-help) or 在包头 (away-from-home) keep their evidence.
 *
 * Works on normalised text (see normalize.ts): 俺 is already 我, 没 already 没有.
 */

/** Ages: 83了, 八十六了, 七十多岁, 九十了, 一百岁, 岁数大了. */
const AGE = /(?:今年)?(?:[5-9][0-9]|1[01][0-9]|[五六七八九]十[一二三四五六七八九]?|一百)多?(?:岁了|岁|了)|(?:岁数|年纪|年龄)(?:也)?(?:大了|大|很大了)|上了年纪/g;

/**
 * Who the person is to the asker, as a subject or possessor. Longest first. 我 alone stays: it
 * carries 我不会弄 and 我在外地, and is short enough to cost little.
 */
const PERSON = new RegExp(
  [
    '我们家老人', '我家老人', '家里老人', '我们老两口儿?', '老两口儿?', '我们家', '我家',
    '我老伴儿?', '老伴儿?', '老头子', '老太太', '老爷子', '老太婆', '老头儿?',
    '我(?:妈妈|爸爸|妈|爸|爹|娘|婆婆|公公|岳父|岳母|丈母娘|老公|老婆|爱人|奶奶|爷爷|姥姥|姥爷|外婆|外公|父亲|母亲)',
    '我(?:闺女|姑娘|儿子|女儿|儿媳妇?|女婿|孙子|孙女|外孙女?)(?:家)?',
    '(?:婆婆|公公|岳父|岳母|丈母娘|奶奶|爷爷|姥姥|姥爷|外婆|外公|父亲|母亲)',
    '我是(?:她|他)的?(?:儿子|女儿|闺女|姑娘|儿媳妇?|女婿|孙子|孙女)',
  ].join('|'),
  'g',
);

/**
 * Where the person lives when it is home, not abroad or elsewhere: home places say nothing about
 * the question. (Other places — 海南, 包头, 澳大利亚 — are what away-from-home and abroad are about.)
 */
const HOME_PLACE = /(?:我们)?(?:在|住在)?(?:呼和浩特市?|呼市|新城区|本地)(?:住|这边)?/g;

/** When: 今年, 去年, 现在, 刚才… (the window entry has its own keywords for 今年什么时候). */
const WHEN = /今年|去年|现在|刚才|今天|昨天|前几天|前两天|这两天|这几天|这个(?!月)/g;

/** The asker's identity: 我是机关退休的, 领的是城乡居民养老保险 (keywords still see it). */
const IDENTITY = /我是[^是]{1,8}?(?:退休|养老)的|领的是[^是]{1,10}?(?:养老保险|养老金|待遇)/g;

export function stripSituation(normalised: string): string {
  return normalised.replace(AGE, '').replace(PERSON, '').replace(HOME_PLACE, '').replace(WHEN, '').replace(IDENTITY, '');
}
