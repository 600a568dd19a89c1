import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { cnDate, monthDay } from '../calendar';
import { TemplateError, escapeHtml, render } from '../content';
import { FAIL_REASONS, type Summary } from '../stats';
import { FUNNEL } from '../stats/summary';

/**
 * The console's pages from templates/admin/: every word in labels.yaml or the HTML, numbers put
 * in as escaped table cells. Read and checked once at start-up: a bad edit stops start-up.
 */
const text = z.string().min(1);
const words = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, text])) as Record<K, typeof text>);
const TOTALS = ['started', 'linkIssued', 'linkOpened', 'passed', 'failed', 'alreadyCertified', 'notFinished'] as const;
const CHART = ['passedPerDay', 'failedPerDay', 'cumulative', 'count', 'date', 'stage', 'reached', 'percent', 'stoppedHere', 'category', 'reason', 'question', 'kind', 'startedPerDay', 'linksPerDay', 'reachedId'] as const;
const labelsSchema = z.object({
  totals: words(TOTALS),
  funnel: words(FUNNEL),
  reasons: words(FAIL_REASONS),
  unknownCategory: text,
  questions: words(['answered', 'suggested', 'unanswered'] as const),
  chart: words(CHART),
  window: words(['before', 'during', 'after'] as const),
  countingSince: text,
  nothingCounted: text,
  noFailures: text,
  noQuestions: text,
  login: words(['wrong', 'locked', 'expired', 'refused', 'loggedOut'] as const),
});
export type Labels = z.infer<typeof labelsSchema>;
export type LoginMessage = keyof Labels['login'];

export interface Views {
  readonly labels: Labels;
  /** templates/admin/style.css and console.js, served as they are. */
  readonly assets: { readonly 'style.css': string; readonly 'console.js': string };
  login(vars: { nonce: string; csrf: string; message?: LoginMessage; minutes?: string }): string;
  dashboard(s: Summary, vars: { nonce: string; csrf: string; user: string }): string;
}

const RAW = new Set(['totalCards', 'dayRows', 'funnelRows', 'categoryRows', 'failureRows', 'questionRows', 'entryRows', 'labelsJson']);
const fill = (template: string, vars: Record<string, string>, where: string) =>
  render(template, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, RAW.has(k) ? v : escapeHtml(v)])), where);

const cell = (v: string | number | null, num = typeof v === 'number') => `<td${num ? ' class="num"' : ''}>${escapeHtml(v === null ? '—' : String(v))}</td>`;
const head = (...cols: string[]) => `<thead><tr>${cols.map((c, i) => `<th scope="col"${i ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
const body = (rows: string[], empty: string, span: number) =>
  `<tbody>${rows.length ? rows.join('') : `<tr><td colspan="${span}">${escapeHtml(empty)}</td></tr>`}</tbody>`;
const row = (cells: string[], cls = '') => `<tr${cls ? ` class="${cls}"` : ''}>${cells.join('')}</tr>`;

export function loadViews(dir: string): Views {
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  const parsed = labelsSchema.safeParse(parse(read('labels.yaml')));
  if (!parsed.success) throw new TemplateError(`templates/admin/labels.yaml: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const L = parsed.data;
  const loginPage = read('login.html');
  const page = read('page.html');
  const assets = { 'style.css': read('style.css'), 'console.js': read('console.js') };
  const C = L.chart;
  // Every placeholder must have a value: checked now, not on a staff member's first visit.
  const probe = Object.fromEntries(['nonce', 'csrf', 'user', 'cycle', 'today', 'windowLine', 'countingLine', 'message', 'alertHidden', ...RAW].map((k) => [k, 'x']));
  render(loginPage, probe, 'templates/admin/login.html');
  render(page, probe, 'templates/admin/page.html');

  const views: Views = {
    labels: L,
    assets,
    login({ nonce, csrf, message, minutes = '' }) {
      const line = message ? render(L.login[message], { minutes }, `labels.yaml login.${message}`) : '';
      return fill(loginPage, { nonce, csrf, message: line, alertHidden: line ? '' : 'hidden' }, 'templates/admin/login.html');
    },
    dashboard(s, { nonce, csrf, user }) {
      const w = s.window;
      const windowLine = render(L.window[w.phase], { start: cnDate(w.start), end: cnDate(w.end), daysLeft: String(w.daysLeft), daysToStart: String(w.daysToStart) }, 'labels.yaml window');
      const countingLine = s.countingSince ? render(L.countingSince, { date: cnDate(s.countingSince) }, 'labels.yaml countingSince') : L.nothingCounted;
      const cards = TOTALS.map((k) => `<li class="${k}"><span class="n" data-total="${k}">${s.totals[k]}</span><span class="k">${escapeHtml(L.totals[k])}</span></li>`).join('');
      return fill(page, {
        nonce, csrf, user,
        cycle: String(s.cycle),
        today: cnDate(s.today),
        windowLine,
        countingLine,
        totalCards: cards,
        dayRows: head(C.date, C.startedPerDay, C.linksPerDay, C.passedPerDay, C.failedPerDay) + body(
          s.byDay.filter((d) => !d.future).reverse().map((d) => row([cell(monthDay(d.date), false), cell(d.started), cell(d.linkIssued), cell(d.passed), cell(d.failed)])), L.nothingCounted, 5),
        funnelRows: head(C.stage, C.reached, C.percent, C.stoppedHere) + body(
          s.funnel.map((f) => row([cell(f.label), cell(f.count), cell(f.percentOfStarted === null ? null : `${f.percentOfStarted}%`, true), cell(f.stoppedHere)])), L.nothingCounted, 4),
        categoryRows: head(C.category, C.reachedId, L.totals.linkIssued, L.totals.linkOpened, L.totals.passed, L.totals.failed, L.totals.alreadyCertified) + body(
          s.byCategory.map((c) => row([cell(c.label), cell(c.reachedId), cell(c.linkIssued), cell(c.linkOpened), cell(c.passed), cell(c.failed), cell(c.alreadyCertified)])), L.nothingCounted, 7),
        failureRows: head(C.reason, C.count) + body(s.failures.map((f) => row([cell(f.label), cell(f.count)])), L.noFailures, 2),
        questionRows: head(C.kind, C.count) + body(
          (['answered', 'suggested', 'unanswered'] as const).map((k) => row([cell(L.questions[k]), cell(s.questions[k])])), L.noQuestions, 2),
        entryRows: head(C.question, C.count) + body(s.questions.entries.map((e) => row([cell(e.question), cell(e.count)])), L.noQuestions, 2),
        // A JSON data block: `<` escaped, so no value can close the script element.
        labelsJson: JSON.stringify({ chart: L.chart, totals: L.totals, questions: L.questions }).replace(/</g, '\\u003c'),
      }, 'templates/admin/page.html');
    },
  };
  return views;
}
