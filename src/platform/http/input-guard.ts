import { errors, type ErrorDetail } from '../errors/index.js';

/**
 * How deep a request's JSON may nest. No route takes more than a few levels; a body of thousands
 * of nested arrays would only exercise recursion in validators and in PostgreSQL's jsonb.
 */
export const MAX_INPUT_DEPTH = 64;

// PostgreSQL refuses NUL in text and in jsonb strings, and cannot encode an unpaired UTF-16
// surrogate as UTF-8: such a string must be refused here rather than fail in the database (500).
const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether PostgreSQL can store the string as text (no NUL, no unpaired surrogate). */
export function isStorableText(s: string): boolean {
  return !s.includes(NUL) && !LONE_SURROGATE.test(s);
}

const UNSTORABLE =
  'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/**
 * The problems of one parsed input (a JSON body, a query string object, path parameters): every
 * string or field name that cannot be stored, and nesting deeper than MAX_INPUT_DEPTH. Walks with a
 * stack, not recursion, so a hostile depth cannot overflow it; reports at most `limit` problems.
 */
export function unstorableInput(input: unknown, root = '', limit = 20): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const stack: Pending[] = [{ value: input, path: root, depth: 0 }];
  while (stack.length > 0 && problems.length < limit) {
    const { value, path, depth } = stack.pop() as Pending;
    if (typeof value === 'string') {
      if (!isStorableText(value)) problems.push({ path, message: UNSTORABLE });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      problems.push({
        path,
        message: `is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`,
      });
      continue;
    }
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [key, child] of entries) {
      if (!isStorableText(key)) {
        problems.push({
          path: path || 'body',
          message: `has a field name that ${UNSTORABLE}`,
        });
        continue;
      }
      stack.push({ value: child, path: join(path, key), depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * The problems of a query string object: names are reported as the client wrote them
 * (`filter[lastName]`), as the list layer names its parameters.
 */
export function unstorableQuery(query: unknown, limit = 20): ErrorDetail[] {
  if (typeof query !== 'object' || query === null) return [];
  const problems: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (!isStorableText(name)) {
      problems.push({
        path: 'query',
        message: `has a parameter name that ${UNSTORABLE}`,
      });
      continue;
    }
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && !isStorableText(v)))
      problems.push({ path: name, message: UNSTORABLE });
    if (problems.length >= limit) break;
  }
  return problems;
}

/**
 * Throws VALIDATION_FAILED naming each field of `input` that cannot be stored, for input the edge
 * does not see parsed (multipart fields and file names).
 */
export function assertStorable(input: unknown): void {
  const problems = unstorableInput(input);
  if (problems.length > 0) throw errors.validation(problems);
}
