// Finds every example in the bundled contract together with the schema it must satisfy:
// media-type `example`/`examples` (request bodies and responses, paths, webhooks and
// components), parameter and header examples, and schema-level `example`/`examples` anywhere
// inside a schema. Used by openapi/examples.test.ts.
// Limits: follows only local `$ref`s (`#/...`), which is all a bundle has; `externalValue`
// examples are reported with no value (the test refuses them rather than fetching).
import type { OpenApiDocument } from './spec.ts';

export interface FoundExample {
  /** Where the example sits, as a readable JSON-pointer-like path. */
  where: string;
  kind: 'media' | 'parameter' | 'header' | 'schema';
  mediaType?: string;
  schema: unknown;
  value: unknown;
  external?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Resolves a local `$ref` (`#/a/b`) against the document; other nodes come back as they are. */
export function deref(doc: OpenApiDocument, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isObj(current) && typeof current.$ref === 'string' && hops < 20; hops += 1) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) throw new Error(`non-local $ref ${ref} in the bundle`);
    current = ref.slice(2).split('/').reduce<unknown>((at, part) => {
      const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
      return isObj(at) || Array.isArray(at) ? (at as Obj)[key] : undefined;
    }, doc);
  }
  return current;
}

/** Sub-schemas of a schema, with the path step that reaches each. */
function childSchemas(schema: Obj): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const key of ['properties', 'patternProperties', '$defs', 'dependentSchemas']) {
    if (isObj(schema[key])) for (const [k, v] of Object.entries(schema[key] as Obj)) out.push([`${key}/${k}`, v]);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach((v, i) => out.push([`${key}/${i}`, v]));
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']) {
    if (isObj(schema[key])) out.push([key, schema[key]]);
  }
  return out;
}

export function collectExamples(doc: OpenApiDocument): FoundExample[] {
  const found: FoundExample[] = [];
  const seenSchemas = new Set<unknown>();

  function schemaExamples(schema: unknown, where: string): void {
    if (!isObj(schema) || typeof schema.$ref === 'string' || seenSchemas.has(schema)) return;
    seenSchemas.add(schema);
    if ('example' in schema) found.push({ where: `${where}/example`, kind: 'schema', schema, value: schema.example });
    if (Array.isArray(schema.examples)) {
      schema.examples.forEach((value, i) => found.push({ where: `${where}/examples/${i}`, kind: 'schema', schema, value }));
    }
    for (const [step, child] of childSchemas(schema)) schemaExamples(child, `${where}/${step}`);
  }

  /** `example` and the `examples` map of a media type, parameter or header object. */
  function objectExamples(holder: Obj, where: string, kind: FoundExample['kind'], mediaType?: string): void {
    const schema = holder.schema;
    schemaExamples(schema, `${where}/schema`);
    if ('example' in holder) found.push({ where: `${where}/example`, kind, mediaType, schema, value: holder.example });
    if (isObj(holder.examples)) {
      for (const [name, raw] of Object.entries(holder.examples)) {
        const ex = deref(doc, raw) as Obj;
        const entry: FoundExample = { where: `${where}/examples/${name}`, kind, mediaType, schema, value: ex?.value };
        if (typeof ex?.externalValue === 'string') entry.external = ex.externalValue;
        found.push(entry);
      }
    }
  }

  function content(node: unknown, where: string): void {
    if (!isObj(node)) return;
    for (const [mediaType, media] of Object.entries(node)) {
      if (isObj(media)) objectExamples(media, `${where}/content/${mediaType}`, 'media', mediaType);
    }
  }

  function headers(node: unknown, where: string): void {
    if (!isObj(node)) return;
    for (const [name, raw] of Object.entries(node)) {
      if (isObj(raw) && typeof raw.$ref !== 'string') objectExamples(raw, `${where}/headers/${name}`, 'header');
    }
  }

  function response(raw: unknown, where: string): void {
    if (!isObj(raw) || typeof raw.$ref === 'string') return;
    headers(raw.headers, where);
    content(raw.content, where);
  }

  function parameters(list: unknown, where: string): void {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      if (isObj(raw) && typeof raw.$ref !== 'string') objectExamples(raw, `${where}/parameters/${i}`, 'parameter');
    });
  }

  function pathItems(map: unknown, where: string): void {
    if (!isObj(map)) return;
    for (const [key, item] of Object.entries(map)) {
      if (!isObj(item)) continue;
      const at = `${where}/${key}`;
      parameters(item.parameters, at);
      for (const method of METHODS) {
        const op = item[method];
        if (!isObj(op)) continue;
        parameters(op.parameters, `${at}/${method}`);
        const body = op.requestBody;
        if (isObj(body) && typeof body.$ref !== 'string') content(body.content, `${at}/${method}/requestBody`);
        if (isObj(op.responses)) {
          for (const [code, raw] of Object.entries(op.responses)) response(raw, `${at}/${method}/responses/${code}`);
        }
      }
    }
  }

  pathItems(doc.paths, '#/paths');
  pathItems(doc.webhooks, '#/webhooks');
  const components = isObj(doc.components) ? doc.components : {};
  for (const [name, schema] of Object.entries((components.schemas ?? {}) as Obj)) schemaExamples(schema, `#/components/schemas/${name}`);
  for (const [name, raw] of Object.entries((components.responses ?? {}) as Obj)) response(raw, `#/components/responses/${name}`);
  headers(components.headers, '#/components');
  for (const [name, raw] of Object.entries((components.parameters ?? {}) as Obj)) {
    if (isObj(raw)) objectExamples(raw, `#/components/parameters/${name}`, 'parameter');
  }
  for (const [name, raw] of Object.entries((components.requestBodies ?? {}) as Obj)) {
    if (isObj(raw)) content(raw.content, `#/components/requestBodies/${name}`);
  }
  return found;
}
