// ajv (JSON Schema draft 2020-12, strict) loaded with the contract's component schemas.
// OpenAPI-only keywords (`example`, `discriminator`, `xml`, `externalDocs`) and every `x-`
// extension found in the document are registered as annotations instead of turning strict
// mode off; formats come from ajv-formats, plus OpenAPI's numeric/binary formats.
// Limits: `#/components/schemas/...` references are rewritten to one in-memory document
// (`urn:chaozcode:spec`); references to other parts of the document are not supported in schemas.
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

export type JsonSchema = Record<string, any> | boolean;

// ajv and ajv-formats are CommonJS: take the class/plugin whichever way the loader hands it over.
const Ajv2020: typeof Ajv2020Module.default = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats: typeof addFormatsModule.default = (addFormatsModule as any).default ?? addFormatsModule;

const ROOT = 'urn:chaozcode:spec';
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];
const OPENAPI_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'];

export interface Violation {
  /** JSON pointer of the failing value (`/messages/2/role`); for `required` and
   * `additionalProperties` it names the missing/extra property itself. */
  pointer: string;
  keyword: string;
  message: string;
}

export class SchemaRegistry {
  readonly ajv: InstanceType<typeof Ajv2020>;
  /** Schema warnings ajv logged in strict mode (reported with --verbose). */
  readonly warnings: string[] = [];
  private readonly cache = new WeakMap<object, ValidateFunction>();
  /** One reference object per component name, so its compiled validator is cached (by name). */
  private readonly components = new Map<string, JsonSchema>();

  constructor(doc: Record<string, any>) {
    const log = (...args: unknown[]) => this.warnings.push(args.map(String).join(' '));
    this.ajv = new Ajv2020({
      strict: true,
      strictTypes: 'log',
      strictRequired: false,
      strictTuples: 'log',
      allErrors: true,
      logger: { log, warn: log, error: log },
    });
    addFormats(this.ajv);
    for (const f of OPENAPI_FORMATS) this.ajv.addFormat(f, true);
    const keywords = new Set(OPENAPI_KEYWORDS);
    const formats = new Set<string>();
    collect(doc.components?.schemas, keywords, formats);
    collect(doc.paths, keywords, formats);
    for (const k of keywords) this.ajv.addKeyword({ keyword: k, schemaType: ['object', 'array', 'string', 'number', 'boolean', 'null'] });
    for (const f of formats) if (!this.ajv.formats[f]) this.ajv.addFormat(f, true);
    this.ajv.addSchema({ $id: ROOT, $defs: rewriteRefs(doc.components?.schemas ?? {}) });
  }

  /** A compiled validator for a schema taken from the document (refs rewritten on the way). */
  validator(schema: JsonSchema): ValidateFunction {
    if (typeof schema === 'boolean') return this.ajv.compile(schema);
    const hit = this.cache.get(schema);
    if (hit) return hit;
    const fn = this.ajv.compile(rewriteRefs(schema));
    this.cache.set(schema, fn);
    return fn;
  }

  /** Validate; `[]` when valid. */
  validate(schema: JsonSchema, value: unknown): Violation[] {
    const fn = this.validator(schema);
    return fn(value) ? [] : (fn.errors ?? []).map(toViolation);
  }

  /** A component schema by name, with its references resolvable; the same object on every call. */
  component(name: string): JsonSchema {
    let ref = this.components.get(name);
    if (!ref) this.components.set(name, (ref = { $ref: `${ROOT}#/$defs/${name}` }));
    return ref;
  }
}

function toViolation(e: ErrorObject): Violation {
  let pointer = e.instancePath;
  if (e.keyword === 'required') pointer += `/${escape((e.params as { missingProperty: string }).missingProperty)}`;
  if (e.keyword === 'additionalProperties') pointer += `/${escape((e.params as { additionalProperty: string }).additionalProperty)}`;
  if (e.keyword === 'unevaluatedProperties') pointer += `/${escape((e.params as { unevaluatedProperty: string }).unevaluatedProperty)}`;
  return { pointer, keyword: e.keyword, message: `${e.instancePath || '(root)'} ${e.message ?? e.keyword}` };
}

function escape(seg: string): string {
  return seg.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `#/components/schemas/X/...` -> `urn:chaozcode:spec#/$defs/X/...`, deep, on a copy. */
export function rewriteRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(rewriteRefs) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
      out[k] = `${ROOT}#/$defs/${v.slice('#/components/schemas/'.length)}`;
    } else if (k === 'discriminator' || k === 'example' || k === 'examples') {
      out[k] = v; // annotations: keep as written, do not rewrite their refs
    } else {
      out[k] = rewriteRefs(v);
    }
  }
  return out as T;
}

function collect(node: unknown, keywords: Set<string>, formats: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collect(n, keywords, formats));
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-')) keywords.add(k);
    if (k === 'format' && typeof v === 'string') formats.add(v);
    if (k !== 'example' && k !== 'examples') collect(v, keywords, formats);
  }
}
