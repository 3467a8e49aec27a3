// ajv (draft 2020-12) over the bundled contract: component schemas become `$defs` of one schema
// document, every `#/components/schemas/...` ref is rewritten to point there, and OpenAPI-only
// keywords (example, discriminator, xml, externalDocs, x-*) are registered as annotations instead
// of switching strict mode off. Any schema of the document can then be compiled on its own.
// Limits: refs other than `#/components/schemas/...` must have been inlined by the bundler.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const SPEC_SCHEMA_ID = 'https://mock.chaozcode.local/spec.json';
const COMPONENT_PREFIX = '#/components/schemas/';
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

/** A deep copy of `value` with component refs pointing into the `$defs` document. */
export function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT_PREFIX)
        ? `${SPEC_SCHEMA_ID}#/$defs/${v.slice(COMPONENT_PREFIX.length)}`
        : rewriteRefs(v);
  }
  return out as T;
}

function collectExtensionKeywords(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectExtensionKeywords(v, into);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('x-')) into.add(k);
    collectExtensionKeywords(v, into);
  }
}

export interface SpecAjvOptions {
  /** Coerce strings to the declared types (query and path parameters). */
  coerceTypes?: boolean;
}

/** An ajv instance that knows every component schema of `doc`. */
export function createSpecAjv(doc: { components?: { schemas?: Record<string, unknown> } }, opts: SpecAjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: opts.coerceTypes ?? false, allowUnionTypes: true });
  addFormats(ajv);
  const extensions = new Set<string>();
  collectExtensionKeywords(doc, extensions);
  for (const keyword of [...OPENAPI_KEYWORDS, ...extensions]) ajv.addKeyword({ keyword });
  ajv.addSchema({ $id: SPEC_SCHEMA_ID, $defs: rewriteRefs(doc.components?.schemas ?? {}) });
  return ajv;
}
