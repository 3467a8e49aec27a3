// Reads the bundled contract once: the operations (method, path, tag, security, parameters,
// request body and response schemas) the route table, validators and negotiator are built from.
// Limits: expects a bundle (redocly bundle) whose refs are `#/components/...`; parameters may be
// refs to `#/components/parameters/*`; path-level parameters are merged into each operation.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RouteOperation } from '../pipeline/router.ts';

export type JsonSchema = Record<string, unknown> | boolean;

export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  security?: unknown[];
  components?: { schemas?: Record<string, unknown>; parameters?: Record<string, unknown>; responses?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface ParameterInfo {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface ResponseInfo {
  status: string; // '200', '4XX', 'default'
  /** Media type -> schema. */
  content: Record<string, JsonSchema | undefined>;
  headers: string[];
}

export interface OperationInfo extends RouteOperation {
  tag: string;
  secured: boolean;
  parameters: ParameterInfo[];
  requestBody?: { required: boolean; schema: JsonSchema };
  responses: ResponseInfo[];
}

export const defaultSpecPath = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function loadSpec(file = defaultSpecPath): OpenApiDoc {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDoc;
  if (typeof doc.openapi !== 'string' || !doc.paths) throw new Error(`${file} is not an OpenAPI document`);
  return doc;
}

function deref<T>(doc: OpenApiDoc, value: unknown): T {
  let v = value as Record<string, unknown>;
  for (let hops = 0; v && typeof v.$ref === 'string' && hops < 10; hops++) {
    const parts = (v.$ref as string).replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let cur: unknown = doc;
    for (const p of parts) cur = (cur as Record<string, unknown> | undefined)?.[p];
    if (cur === undefined) throw new Error(`unresolved $ref ${v.$ref as string}`);
    v = cur as Record<string, unknown>;
  }
  return v as T;
}

function readParameters(doc: OpenApiDoc, list: unknown): ParameterInfo[] {
  if (!Array.isArray(list)) return [];
  return list.map((p) => {
    const param = deref<Record<string, unknown>>(doc, p);
    return {
      name: String(param.name),
      in: param.in as ParameterInfo['in'],
      required: param.required === true,
      schema: (param.schema as JsonSchema) ?? {},
    };
  });
}

function readResponses(doc: OpenApiDoc, responses: unknown): ResponseInfo[] {
  return Object.entries((responses ?? {}) as Record<string, unknown>).map(([status, r]) => {
    const resp = deref<Record<string, unknown>>(doc, r);
    const content: Record<string, JsonSchema | undefined> = {};
    for (const [media, c] of Object.entries((resp.content ?? {}) as Record<string, { schema?: JsonSchema }>)) {
      content[media] = c.schema;
    }
    return { status, content, headers: Object.keys((resp.headers ?? {}) as object) };
  });
}

/** Every operation of the document, in document order. */
export function readOperations(doc: OpenApiDoc): OperationInfo[] {
  const ops: OperationInfo[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = readParameters(doc, item.parameters);
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const own = readParameters(doc, op.parameters);
      const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      const body = op.requestBody ? deref<Record<string, unknown>>(doc, op.requestBody) : undefined;
      const bodySchema = (body?.content as Record<string, { schema?: JsonSchema }> | undefined)?.['application/json']?.schema;
      const security = (op.security ?? doc.security ?? []) as unknown[];
      ops.push({
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        path,
        tag: Array.isArray(op.tags) && op.tags.length > 0 ? String(op.tags[0]) : '',
        secured: security.length > 0,
        parameters,
        requestBody: body ? { required: body.required === true, schema: bodySchema ?? {} } : undefined,
        responses: readResponses(doc, op.responses),
      });
    }
  }
  return ops;
}

/** The schema the contract declares for `status` (exact, then `4XX`, then `default`) and media type. */
export function responseSchema(op: OperationInfo, status: number, media = 'application/json'): JsonSchema | undefined {
  const exact = op.responses.find((r) => r.status === String(status));
  const range = op.responses.find((r) => r.status.toUpperCase() === `${String(status)[0]}XX`);
  const fallback = op.responses.find((r) => r.status === 'default');
  return (exact ?? range ?? fallback)?.content[media];
}
