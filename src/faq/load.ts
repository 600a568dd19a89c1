import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { render, type Vars } from '../content/render';
import { buildBm25 } from './bm25';
import { MAX_REPLY_BYTES, composeAnswer } from './format';
import { buildKeywordIndex, type Keyword } from './keywords';
import { normalize } from './normalize';
import type { FaqEntry, KnowledgeBase } from './types';

/** A knowledge-base file that office staff will have to fix; the message names the file and entry. */
export class FaqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaqError';
  }
}

const text = z.string().trim().min(1, 'must not be empty');
const keyword = z.union([text, z.strictObject({ word: text, weight: z.number().positive().max(10) })]);
const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by -'),
  question: text,
  answer: text,
  keywords: z.array(keyword).min(1, 'needs at least one keyword'),
  examples: z.array(text).optional(),
});
const fileSchema = z.strictObject({ entries: z.array(z.unknown()).min(1, 'needs at least one entry') });

export interface FaqSource {
  /** Shown in error messages, e.g. templates/faq/01-basics.yaml. */
  readonly file: string;
  readonly text: string;
}

/** Reads every *.yaml in `dir` (file-name order) and builds the knowledge base. */
export function loadKnowledgeBase(dir: string, vars: Vars): KnowledgeBase {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new FaqError(`${dir}: no .yaml files`);
  return buildKnowledgeBase(
    files.map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })),
    vars,
  );
}

/** Validates, renders placeholders (strictly) and precomputes the matching index. */
export function buildKnowledgeBase(sources: readonly FaqSource[], vars: Vars): KnowledgeBase {
  const entries: FaqEntry[] = [];
  const segments: string[][] = [];
  const keywords: Keyword[][] = [];
  const seen = new Map<string, string>();

  for (const { file, text: source } of sources) {
    let doc: unknown;
    try {
      doc = parse(source);
    } catch (e) {
      throw new FaqError(`${file}: not valid YAML: ${(e as Error).message}`);
    }
    const parsed = fileSchema.safeParse(doc);
    if (!parsed.success) throw new FaqError(`${file}: ${describe(parsed.error)}`);

    parsed.data.entries.forEach((raw, i) => {
      const rawId = (raw as { id?: unknown } | null)?.id;
      const name = typeof rawId === 'string' ? `entry "${rawId}"` : `entry #${i + 1}`;
      const checked = entrySchema.safeParse(raw);
      if (!checked.success) throw new FaqError(`${file}: ${name}: ${describe(checked.error)}`);
      const e = checked.data;
      const first = seen.get(e.id);
      if (first !== undefined) throw new FaqError(`${file}: entry "${e.id}": id already used in ${first}`);
      seen.set(e.id, file);

      const r = (s: string, field: string): string => render(s, vars, `${file}: entry "${e.id}" ${field}`);
      const entry: FaqEntry = Object.freeze({ id: e.id, question: r(e.question, 'question'), answer: r(e.answer, 'answer') });
      const bytes = Buffer.byteLength(composeAnswer(entry), 'utf8');
      if (bytes > MAX_REPLY_BYTES) {
        throw new FaqError(`${file}: entry "${e.id}": question and answer take ${bytes} bytes, WeChat allows ${MAX_REPLY_BYTES}`);
      }
      const kws = e.keywords.map((k) => (typeof k === 'string' ? { word: k, weight: 1 } : k));
      const examples = (e.examples ?? []).map((x) => normalize(r(x, 'example')));
      const kwParts = kws.map((k) => {
        const parts = r(k.word, 'keyword').split('*').map(normalize);
        if (parts.some((p) => p.length === 0)) {
          throw new FaqError(`${file}: entry "${e.id}": keyword "${k.word}" is only filler words or punctuation once normalised`);
        }
        return { parts, weight: k.weight };
      });
      entries.push(entry);
      keywords.push(kwParts);
      segments.push([normalize(entry.question), ...kwParts.flatMap((k) => k.parts), ...examples]);
    });
  }
  if (entries.length === 0) throw new FaqError('the FAQ knowledge base has no entries');
  return Object.freeze({
    entries: Object.freeze(entries),
    bm25: buildBm25(segments),
    keywords: buildKeywordIndex(keywords),
  });
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') + ' ' : ''}${i.message}`).join('; ');
}
