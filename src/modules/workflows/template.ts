import { readPath } from './fields.js';

/**
 * `{{contact.firstName}}` placeholders. There is no logic in templates (no helpers, no code), so
 * a template can only read the run's data, and every value is escaped for where it lands.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;
/** Anything that looks like a placeholder, well-formed or not (to report the bad ones). */
const ANY_BRACES = /\{\{([^}]*)\}\}/g;

/** Where the rendered text goes: plain text, HTML (values escaped) or JSON (values JSON-encoded). */
export type TemplateMode = 'text' | 'html' | 'json';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(asText).join(', ');
  return JSON.stringify(v);
}

/** Fills the placeholders of `template` from `data`; a missing value renders empty (JSON: null). */
export function renderTemplate(
  template: string,
  data: unknown,
  mode: TemplateMode = 'text',
): string {
  return template.replace(PLACEHOLDER, (_m, path: string) => {
    const value = readPath(data, path);
    if (mode === 'json') return JSON.stringify(value ?? null);
    const text = asText(value);
    return mode === 'html' ? escapeHtml(text) : text;
  });
}

/** The placeholder paths of a template, and the malformed `{{…}}` it contains. */
export function placeholdersOf(template: string): { paths: string[]; malformed: string[] } {
  const paths = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  const malformed = [...template.matchAll(ANY_BRACES)]
    .map((m) => (m[1] ?? '').trim())
    .filter((inner) => !/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(inner));
  return { paths, malformed };
}

/**
 * Values a JSON template must stay valid with: a run inserts each value JSON-encoded, so a
 * placeholder stands for one whole value. An empty string catches a placeholder inside quotes
 * (`"{{lead.id}}"` renders `""…""`), null one in a key's place; any other value is valid where
 * both are.
 */
const JSON_STAND_INS = ['""', 'null'] as const;

/** Whether a JSON template (a webhook body) renders to JSON for every value its placeholders may take. */
export function isJsonTemplate(template: string): boolean {
  return JSON_STAND_INS.every((standIn) => {
    try {
      JSON.parse(template.replace(PLACEHOLDER, standIn));
      return true;
    } catch {
      return false;
    }
  });
}

/** A template that is exactly one placeholder yields the value itself (a number stays a number). */
export function renderValue(template: string, data: unknown): unknown {
  const whole = /^\s*\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}\s*$/.exec(template);
  if (whole?.[1]) return readPath(data, whole[1]) ?? null;
  return renderTemplate(template, data, 'text');
}
