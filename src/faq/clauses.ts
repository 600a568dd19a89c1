/**
 * A message cut where a second question may begin: at punctuation and spaces (typed and voice
 * messages both mark clauses so), at the words people use to add a question (还有就是, 另外), and
 * right after a question's end (吗, 咋办) when more follows, as in 认证要钱吗在外地能认证吗.
 * Pieces keep their raw text; the matcher normalises each candidate half on its own.
 */
const BOUNDARY =
  /[\s，,。.？?！!；;、：:~～…]+|还有就是|还有一个|还有|另外|再就是|再问一下|再问问|顺便问一下|顺便问下|顺便问问|然后就是|然后呢|(?<=[吗呢]|咋办|怎么办|咋整|咋弄|怎么弄)(?=\p{Script=Han})/u;

/** More pieces than this is a story, not two questions; it is matched as one text. */
export const MAX_CLAUSES = 8;

export function clauses(text: string): string[] {
  return text
    .split(new RegExp(BOUNDARY.source, 'gu'))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
