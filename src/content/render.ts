/**
 * Follower-facing text lives in templates/ as YAML; placeholders are `{{group.name}}`. Rendering
 * is strict: a placeholder with no value is an error at start-up, never a `{{…}}` on a phone.
 */
export type Vars = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export function render(text: string, vars: Vars, where = 'template', escape: (value: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new TemplateError(`${where}: no value for {{${name}}}`);
    return escape(value);
  });
}

/** Safe in HTML text and in quoted attribute values alike (`href="tel:{{phone.x}}"`). */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An HTML template: every value is escaped, facts included. A fact is office data, not a
 * follower's, but a quote or a `<` typed into facts.yaml must not become markup on an old
 * person's phone.
 */
export const renderHtml = (html: string, vars: Vars, where = 'HTML template') => render(html, vars, where, escapeHtml);

/** Flattens `{ phone: { audit: '…' } }` into `{ 'phone.audit': '…' }`. */
export function flattenVars(tree: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (tree === null || tree === undefined) return out;
  if (typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [k, v] of Object.entries(tree as Record<string, unknown>)) flattenVars(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = String(tree);
  }
  return out;
}
