// Builds VALID values from JSON Schemas (the positive side of the case generator): examples,
// defaults and enums first, then values derived from type and constraints. Every value is
// meant to be checked with ajv by the caller before it is sent, so a schema this cannot
// satisfy yields a skipped case, never a false finding.
// Limits: `pattern` is satisfied from examples, a few stock strings, or faker's fromRegExp
// (which knows only simple patterns); `oneOf` takes its first branch; `if/then/else` is ignored.
import { faker } from '@faker-js/faker';

export type Deref = (node: any) => any;

export interface SampleOptions {
  /** Fill optional properties too (for the negative generator's base). */
  full?: boolean;
  /** Prefer schema examples over constructed values (default true). */
  useExamples?: boolean;
}

const MAX_DEPTH = 8;

/** Merge `allOf` members into one schema (properties and required lists combined). */
export function flatten(schema: any, deref: Deref): any {
  const s = deref(schema);
  if (!s || typeof s !== 'object' || !Array.isArray(s.allOf)) return s;
  const { allOf, ...rest } = s;
  const parts = allOf.map((p: any) => flatten(p, deref));
  const out: any = { ...rest };
  for (const p of parts) {
    for (const [k, v] of Object.entries<any>(p)) {
      if (k === 'properties') out.properties = { ...(out.properties ?? {}), ...v };
      else if (k === 'required') out.required = [...new Set([...(out.required ?? []), ...v])];
      else if (!(k in out)) out[k] = v;
    }
  }
  return out;
}

export function typesOf(s: any): string[] {
  if (Array.isArray(s?.type)) return s.type;
  if (typeof s?.type === 'string') return [s.type];
  if (s?.properties || s?.required) return ['object'];
  if (s?.items) return ['array'];
  return [];
}

/** A valid value for `schema`, or undefined when none could be built. */
export function sampleValue(schema: any, deref: Deref, opts: SampleOptions = {}, depth = 0): unknown {
  const s = flatten(schema, deref);
  if (s === true || s === undefined) return 'conformance';
  if (s === false || depth > MAX_DEPTH) return undefined;
  if ('const' in s) return s.const;
  if (opts.useExamples !== false) {
    if (Array.isArray(s.examples) && s.examples.length) return structuredClone(s.examples[0]);
    if (s.example !== undefined) return structuredClone(s.example);
  }
  if (s.default !== undefined) return structuredClone(s.default);
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const branch = s.oneOf?.[0] ?? s.anyOf?.[0];
  if (branch) return sampleValue(branch, deref, opts, depth + 1);
  const type = typesOf(s).find((t) => t !== 'null') ?? 'string';
  switch (type) {
    case 'object': return sampleObject(s, deref, opts, depth);
    case 'array': return sampleArray(s, deref, opts, depth);
    case 'integer': return sampleNumber(s, true);
    case 'number': return sampleNumber(s, false);
    case 'boolean': return true;
    case 'null': return null;
    default: return sampleString(s);
  }
}

function sampleObject(s: any, deref: Deref, opts: SampleOptions, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required: string[] = s.required ?? [];
  for (const [name, prop] of Object.entries<any>(s.properties ?? {})) {
    if (!opts.full && !required.includes(name)) continue;
    const p = deref(prop);
    if (p?.readOnly) continue;
    const v = sampleValue(prop, deref, opts, depth + 1);
    if (v !== undefined) out[name] = v;
  }
  const min = s.minProperties ?? 0;
  for (const [name, prop] of Object.entries<any>(s.properties ?? {})) {
    if (Object.keys(out).length >= min) break;
    if (!(name in out)) out[name] = sampleValue(prop, deref, opts, depth + 1);
  }
  return out;
}

function sampleArray(s: any, deref: Deref, opts: SampleOptions, depth: number): unknown[] {
  const n = Math.max(s.minItems ?? 0, opts.full ? 1 : 0);
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const v = s.items ? sampleValue(s.items, deref, opts, depth + 1) : 'conformance';
    // For uniqueItems, vary strings by index; other duplicates are left to ajv to refuse.
    items.push(s.uniqueItems && i > 0 ? distinct(v, i, deref(s.items)) : v);
  }
  return items;
}

function distinct(v: unknown, i: number, itemSchema: any): unknown {
  if (Array.isArray(itemSchema?.enum)) return itemSchema.enum[i % itemSchema.enum.length];
  return typeof v === 'string' ? `${v}${i}` : v;
}

export function sampleNumber(s: any, integer: boolean): number {
  let lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 0.5) : undefined);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 0.5) : undefined);
  if (lo === undefined) lo = hi !== undefined ? Math.min(1, hi) : 1;
  let v = integer ? Math.ceil(lo) : lo;
  if (s.multipleOf) v = Math.ceil(v / s.multipleOf) * s.multipleOf;
  return v;
}

const STOCK = ['conformance', 'conformance-value', 'a', 'A1', 'x'];

export function sampleString(s: any): string {
  switch (s.format) {
    case 'date-time': return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'date': return new Date().toISOString().slice(0, 10);
    case 'email': return 'conformance@example.com';
    case 'uri': case 'url': return 'https://example.com/conformance';
    case 'uuid': return '00000000-0000-4000-8000-000000000000';
    default: break;
  }
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Infinity;
  const fits = (v: string) => v.length >= min && v.length <= max && (!s.pattern || new RegExp(s.pattern, 'u').test(v));
  for (const c of STOCK) if (fits(c)) return c;
  if (s.pattern) {
    for (let i = 0; i < 20; i++) {
      try {
        const v = faker.helpers.fromRegExp(new RegExp(s.pattern));
        if (fits(v)) return v;
      } catch {
        break;
      }
    }
  }
  return 'x'.repeat(Math.max(min, 1));
}
