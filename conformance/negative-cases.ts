// The negative side of the case generator: from a request schema and a valid base body it
// derives requests that break exactly one rule, and what D5/D6 say the answer must be
// (400 for unreadable bodies and missing required fields, 422 naming the field otherwise).
// Every candidate is validated with ajv against the contract before it becomes a case: it
// must be invalid, and only at the place it was meant to break; ambiguous ones (conditional
// schemas, combinators) are dropped. That is how it avoids false positives.
// Limits: walks at most three levels deep and the first item of arrays; bodies over
// MAX_CASE_BYTES are not generated.
import type { SchemaRegistry, Violation } from './schema-registry.ts';
import { flatten, sampleValue, typesOf, type Deref } from './schema-values.ts';

export interface NegativeCase {
  name: string;
  /** JSON value to send (absent for raw cases). */
  body?: unknown;
  /** Raw text to send instead of JSON. */
  rawBody?: string;
  /** Content-Type to send (default application/json). */
  contentType?: string;
  expectStatus: 400 | 413 | 422;
  /** Expected `details.field` (`messages[0].role`); undefined when not asserted. */
  field?: string;
  /** Acceptable `details.reason` values (JSON Schema keywords); undefined when not asserted. */
  reasons?: string[];
}

type Seg = string | number;
const MAX_DEPTH = 3;
export const MAX_CASE_BYTES = 512 * 1024;
export const UNKNOWN_PROPERTY = 'conformanceUnknownProperty';

/** `['messages', 0, 'role']` -> `messages[0].role` (D5's field notation). */
export function fieldOf(path: Seg[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function pointerOf(path: Seg[]): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function setAt(root: unknown, path: Seg[], value: unknown, remove = false): unknown {
  const copy = structuredClone(root);
  let cur: any = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg];
  const last = path[path.length - 1];
  if (remove) delete cur[last];
  else cur[last] = value;
  return copy;
}

/** Cases about the body as a whole: unreadable JSON, not an object, wrong media type. */
export function bodyLevelCases(validBody: unknown): NegativeCase[] {
  const text = JSON.stringify(validBody);
  return [
    { name: 'body is malformed JSON', rawBody: text.slice(0, Math.max(1, text.length - 1)) + ',', expectStatus: 400 },
    { name: 'body is empty', rawBody: '', expectStatus: 400 },
    { name: 'body is a JSON array, not an object', rawBody: '[]', expectStatus: 400 },
    { name: 'Content-Type is text/plain', rawBody: text, contentType: 'text/plain', expectStatus: 400 },
  ];
}

interface Mutation {
  keyword: string;
  label: string;
  candidates: unknown[];
}

/** Value mutations meant to break one keyword of `s` each. */
export function mutationsFor(s: any): Mutation[] {
  const out: Mutation[] = [];
  const types = typesOf(s);
  const t = types.find((x) => x !== 'null');
  const wrong: unknown[] = [];
  if (!types.includes('string')) wrong.push('not-a-' + (t ?? 'value'));
  if (!types.includes('number') && !types.includes('integer')) wrong.push(12345);
  if (!types.includes('boolean')) wrong.push(true);
  if (!types.includes('object')) wrong.push({ conformance: true });
  if (t) out.push({ keyword: 'type', label: `wrong type (${t} expected)`, candidates: wrong });
  if (types.includes('integer') && !types.includes('number')) out.push({ keyword: 'type', label: 'not an integer', candidates: [1.5] });
  if (typeof s.minimum === 'number') out.push({ keyword: 'minimum', label: `below minimum ${s.minimum}`, candidates: [s.minimum - 1, s.minimum - 0.5] });
  if (typeof s.maximum === 'number') out.push({ keyword: 'maximum', label: `above maximum ${s.maximum}`, candidates: [s.maximum + 1, s.maximum + 0.5] });
  if (typeof s.exclusiveMinimum === 'number') out.push({ keyword: 'exclusiveMinimum', label: `not above ${s.exclusiveMinimum}`, candidates: [s.exclusiveMinimum] });
  if (typeof s.exclusiveMaximum === 'number') out.push({ keyword: 'exclusiveMaximum', label: `not below ${s.exclusiveMaximum}`, candidates: [s.exclusiveMaximum] });
  if (typeof s.maxLength === 'number' && s.maxLength < MAX_CASE_BYTES) out.push({ keyword: 'maxLength', label: `longer than ${s.maxLength}`, candidates: ['x'.repeat(s.maxLength + 1)] });
  if (typeof s.minLength === 'number' && s.minLength > 0) out.push({ keyword: 'minLength', label: `shorter than ${s.minLength}`, candidates: ['x'.repeat(s.minLength - 1)] });
  if (Array.isArray(s.enum)) out.push({ keyword: 'enum', label: 'not one of the enum values', candidates: enumMisses(s.enum) });
  if ('const' in s) out.push({ keyword: 'const', label: 'not the constant', candidates: enumMisses([s.const]) });
  if (typeof s.pattern === 'string') out.push({ keyword: 'pattern', label: 'breaks the pattern', candidates: ['!', ' ', '@@ conformance @@', '\t'] });
  if (typeof s.format === 'string') out.push({ keyword: 'format', label: `not a valid ${s.format}`, candidates: ['not-a-valid-' + s.format, '2026-13-45T99:99:99Z', 'not a uri'] });
  if (Array.isArray(s.not?.enum)) out.push({ keyword: 'not', label: 'a reserved value', candidates: s.not.enum.slice(0, 1) });
  if (typeof s.minItems === 'number' && s.minItems > 0) out.push({ keyword: 'minItems', label: `fewer than ${s.minItems} items`, candidates: [[]] });
  if (typeof s.minProperties === 'number' && s.minProperties > 0) out.push({ keyword: 'minProperties', label: 'an empty object', candidates: [{}] });
  return out;
}

function enumMisses(values: unknown[]): unknown[] {
  const strings = values.filter((v) => typeof v === 'string') as string[];
  const numbers = values.filter((v) => typeof v === 'number') as number[];
  const out: unknown[] = [];
  if (strings.length || !numbers.length) out.push('conformance-not-in-enum', strings[0] ? strings[0].toUpperCase() + '-X' : 'x');
  if (numbers.length) out.push(Math.max(...numbers) + 1);
  return out.filter((v) => !values.includes(v));
}

export interface GenerateOptions {
  registry: SchemaRegistry;
  deref: Deref;
}

interface Gen extends GenerateOptions {
  schema: any;
  out: NegativeCase[];
}

/** Every negative case for a request body schema, starting from a valid `base` body. */
export function generateNegativeCases(schema: any, base: unknown, opts: GenerateOptions): NegativeCase[] {
  const g: Gen = { ...opts, schema, out: [...bodyLevelCases(base)] };
  if (opts.registry.validate(schema, base).length) return g.out; // no valid base: body-level cases only
  walk(g, schema, base, [], 0, base);
  return g.out;
}

function walk(g: Gen, schema: any, value: unknown, path: Seg[], depth: number, root: unknown): void {
  const s = flatten(schema, g.deref);
  if (!s || typeof s !== 'object' || depth > MAX_DEPTH) return;
  if (typesOf(s).includes('object') && value && typeof value === 'object' && !Array.isArray(value)) {
    objectCases(g, s, value as Record<string, unknown>, path, depth, root);
  } else if (Array.isArray(value) && s.items && value.length && depth < MAX_DEPTH) {
    walk(g, s.items, value[0], [...path, 0], depth + 1, root);
  }
}

function objectCases(g: Gen, s: any, value: Record<string, unknown>, path: Seg[], depth: number, root: unknown): void {
  for (const name of (s.required ?? []) as string[]) {
    if (!(name in value)) continue;
    const p = [...path, name];
    push(g, setAt(root, p, undefined, true), p, 'required', `missing required ${fieldOf(p)}`, 400);
  }
  if (s.additionalProperties === false || s.unevaluatedProperties === false) {
    const p = [...path, UNKNOWN_PROPERTY];
    push(g, setAt(root, p, 'x'), p, 'additionalProperties', `unknown property ${fieldOf(p)}`, 422);
  }
  for (const [name, propSchema] of Object.entries<any>(s.properties ?? {})) {
    const p = [...path, name];
    const present = name in value;
    const current = present ? value[name] : sampleValue(propSchema, g.deref);
    const base = present ? root : setAt(root, p, current);
    // An optional property added from a sample must keep the base valid, else skip it.
    if (!present && g.registry.validate(g.schema, base).length) continue;
    for (const m of mutationsFor(flatten(propSchema, g.deref))) pushFirst(g, base, p, m);
    walk(g, propSchema, current, p, depth + 1, base);
  }
}

function pushFirst(g: Gen, base: unknown, p: Seg[], m: Mutation): void {
  for (const candidate of m.candidates) {
    if (push(g, setAt(base, p, candidate), p, m.keyword, `${fieldOf(p)}: ${m.label}`, 422)) return;
  }
}

/** Verify a candidate with ajv; keep it only when it breaks `keyword` at `p` and nothing else. */
function push(g: Gen, body: unknown, p: Seg[], keyword: string, name: string, status: 400 | 422): boolean {
  if (JSON.stringify(body).length > MAX_CASE_BYTES) return false;
  const violations: Violation[] = g.registry.validate(g.schema, body);
  const target = pointerOf(p);
  if (!violations.length || !violations.every((v) => v.pointer === target)) return false;
  const reasons = [...new Set(violations.map((v) => v.keyword))];
  if (!reasons.includes(keyword)) return false;
  if (status === 400 && reasons.some((r) => r !== 'required')) return false;
  g.out.push({ name, body, expectStatus: status, field: fieldOf(p), reasons });
  return true;
}
