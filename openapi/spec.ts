// Shared test helpers for the contract: load the bundled spec (generated/openapi.json) once,
// list its operations, and build an Ajv (JSON Schema 2020-12, strict) that knows the
// OpenAPI-only keywords and every components/schemas entry under its `#/components/schemas/Name`
// ref, so `$ref`s inside the bundle resolve. Used by the contract tests and other helpers' tests.
// Limits: reads the bundle as built (run `npm run build` after editing openapi/); `discriminator`
// is an annotation here (the `oneOf` does the validating), not Ajv's discriminator support.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module namespace.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
// The bundle is plain JSON; tests index into it freely.
export type OpenApiDocument = Record<string, any>;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bundledSpecFile = path.join(repoRoot, 'generated', 'openapi.json');

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** OpenAPI keywords that are not JSON Schema 2020-12 vocabulary; Ajv must accept them as annotations. */
export const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'] as const;

let cached: OpenApiDocument | undefined;

/** The bundled contract, read once per process. */
export function loadBundledSpec(): OpenApiDocument {
  cached ??= JSON.parse(readFileSync(bundledSpecFile, 'utf8')) as OpenApiDocument;
  return cached;
}

export interface OperationEntry {
  method: string;
  path: string;
  operationId: string | undefined;
  operation: OpenApiDocument;
}

/** Every operation under `paths` (not webhooks), in document order. */
export function listOperations(spec: OpenApiDocument = loadBundledSpec()): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [p, item] of Object.entries<OpenApiDocument>(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) out.push({ method: method.toUpperCase(), path: p, operationId: operation.operationId, operation });
    }
  }
  return out;
}

/** Every `x-` key used anywhere in `node` (schemas may carry extensions such as x-status-codes). */
export function extensionKeys(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) extensionKeys(item, found);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) found.add(key);
      extensionKeys(value, found);
    }
  }
  return found;
}

/** The ref under which a component schema is registered in `createAjv()`. */
export function schemaRef(name: string): string {
  return `#/components/schemas/${name}`;
}

/**
 * Ajv for draft 2020-12, strict, with formats, the OpenAPI keywords and every `x-` keyword the
 * spec uses registered as annotations, and all component schemas added under their refs.
 */
export function createAjv(spec: OpenApiDocument = loadBundledSpec()): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const keyword of [...OPENAPI_KEYWORDS, ...extensionKeys(spec)].sort()) {
    if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword });
  }
  for (const [name, schema] of Object.entries<object>(spec.components?.schemas ?? {})) {
    ajv.addSchema(schema, schemaRef(name));
  }
  return ajv;
}
