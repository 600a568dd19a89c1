import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { render, type Vars } from '../content/render';
import { buildBm25 } from './bm25';
import { MAX_REPLY_BYTES, composeAnswer } from './format';
import { buildKeywordIndex, type Keyword } from './keywords';
import { normalize } from './normalize';
import { PHASES, type FaqEntry, type KnowledgeBase, type Phase } from './types';

/** A knowledge-base file that office staff will have to fix; the message names the file and entry. */
export class FaqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaqError';
  }
}

const text = z.string().trim().min(1, 'must not be empty');
const keyword = z.union([text, z.strictObject({ word: text, weight: z.number().positive().max(10), alone: z.boolean().optional() })]);
/** One text for every phase, or one per phase (an answer about dates that depends on today). */
const phased = z.union([text, z.strictObject({ before: text, during: text, after: text })]);
const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by -'),
  question: text,
  answer: phased,
  short: phased.optional(),
  scope: z.enum(['faq', 'elsewhere']).optional(),
  keywords: z.array(keyword).min(1, 'needs at least one keyword'),
  examples: z.array(text).optional(),
});

/**
 * Two short answers and their questions must fit one WeChat reply with the footer and a dialogue
 * step asked again, so each half gets well under half of the 2 048 bytes.
 */
export const MAX_SHORT_BYTES = 640;
const fileSchema = z.strictObject({ entries: z.array(z.unknown()).min(1, 'needs at least one entry') });

export interface FaqSource {
  /** Shown in error messages, e.g. templates/faq/01-basics.yaml. */
  readonly file: string;
  readonly text: string;
}

/**
 * Reads every *.yaml in `dir` (file-name order) and builds the knowledge base with the answers of
 * `phase` (today against the window; 'during' when the caller does not know).
 */
export function loadKnowledgeBase(dir: string, vars: Vars, phase: Phase = 'during'): KnowledgeBase {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new FaqError(`${dir}: no .yaml files`);
  return buildKnowledgeBase(
    files.map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })),
    vars,
    phase,
  );
}

/** Validates, renders placeholders (strictly) and precomputes the matching index. */
export function buildKnowledgeBase(sources: readonly FaqSource[], vars: Vars, phase: Phase = 'during'): KnowledgeBase {
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

      const where = `${file}: entry "${e.id}"`;
      const r = (s: string, field: string): string => render(s, vars, `${where} ${field}`);
      // Every phase is rendered and measured, so a variant that is wrong stops start-up in any month.
      const variants = PHASES.map((p) => {
        const at = (v: z.infer<typeof phased>, field: string) => r(typeof v === 'string' ? v : v[p], typeof v === 'string' ? field : `${field}.${p}`);
        const answer = at(e.answer, 'answer');
        // An answer elsewhere is already short, and its number is in its second line.
        const short = e.short !== undefined ? at(e.short, 'short') : e.scope === 'elsewhere' ? answer : firstLine(answer);
        if (/[：:]$/.test(short)) throw new FaqError(`${where}: the short answer ends with "：" and says nothing on its own; write a short: that does`);
        const candidate: FaqEntry = { id: e.id, question: r(e.question, 'question'), answer, short, scope: e.scope ?? 'faq' };
        const bytes = Buffer.byteLength(composeAnswer(candidate), 'utf8');
        if (bytes > MAX_REPLY_BYTES) throw new FaqError(`${where}: question and answer take ${bytes} bytes, WeChat allows ${MAX_REPLY_BYTES}`);
        const shortBytes = Buffer.byteLength(composeAnswer({ ...candidate, answer: short }), 'utf8');
        if (shortBytes > MAX_SHORT_BYTES) throw new FaqError(`${where}: question and short answer take ${shortBytes} bytes, at most ${MAX_SHORT_BYTES} (two must fit one reply)`);
        return { phase: p, entry: candidate };
      });
      const entry: FaqEntry = Object.freeze(variants.find((v) => v.phase === phase)!.entry);
      const kws = e.keywords.map((k) => (typeof k === 'string' ? { word: k, weight: 1 } : k));
      const examples = (e.examples ?? []).map((x) => normalize(r(x, 'example')));
      const kwParts = kws.map((k) => {
        const parts = r(k.word, 'keyword').split('*').map(normalize);
        if (parts.some((p) => p.length === 0)) {
          throw new FaqError(`${file}: entry "${e.id}": keyword "${k.word}" is only filler words or punctuation once normalised`);
        }
        return { parts, weight: k.weight, alone: k.alone ?? true };
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
    phase,
  });
}

const firstLine = (s: string): string => s.split('\n', 1)[0]!;

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') + ' ' : ''}${i.message}`).join('; ');
}
