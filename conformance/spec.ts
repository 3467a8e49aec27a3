// Loads the bundled OpenAPI 3.1 document and indexes what the checks need: operations,
// parameters, request bodies and their examples, declared responses (headers, media types,
// schemas), path matching (fixed paths win over templated ones, D2), and the ErrorCode ->
// status map from `x-status-codes` (D5).
// Limits: only local `$ref`s (`#/...`) are followed, as a bundle has; `4XX`/`default`
// response keys are honoured but parameter styles other than simple/form are not.
import { readFileSync } from 'node:fs';
import { SchemaRegistry, type JsonSchema } from './schema-registry.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ParameterInfo {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
  example?: unknown;
}

export interface RequestBodyInfo {
  required: boolean;
  mediaType: string;
  schema: JsonSchema;
  /** Named examples of the request body, as written in the spec. */
  examples: { name: string; value: unknown }[];
  /** `x-max-body-bytes` of the operation, when declared (413 above it). */
  maxBytes?: number;
}

export interface HeaderInfo {
  required: boolean;
  schema?: JsonSchema;
}

export interface ResponseInfo {
  /** The key as declared: `200`, `4XX`, `default`. */
  key: string;
  /** Lower-case header name -> declaration. */
  headers: Record<string, HeaderInfo>;
  /** Media type -> schema (undefined when none is declared). */
  content: Record<string, JsonSchema | undefined>;
  errorCode?: string;
}

export interface OperationInfo {
  operationId: string;
  method: string;
  /** Path template below the base URL, e.g. `/memory/{id}`. */
  path: string;
  tags: string[];
  /** The restricted-key scope: the operation's first tag (D4). */
  scope?: string;
  authenticated: boolean;
  parameters: ParameterInfo[];
  requestBody?: RequestBodyInfo;
  responses: ResponseInfo[];
}

interface PathEntry {
  template: string;
  regex: RegExp;
  params: number;
  methods: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export class SpecIndex {
  readonly title: string;
  readonly version: string;
  readonly operations: OperationInfo[] = [];
  readonly registry: SchemaRegistry;
  /** ErrorCode -> HTTP status, from the ErrorCode schema's `x-status-codes`. */
  readonly errorCodeStatus: Record<string, number> = {};
  private readonly paths: PathEntry[] = [];
  private readonly byId = new Map<string, OperationInfo>();

  constructor(readonly doc: Record<string, any>) {
    this.title = String(doc.info?.title ?? 'API');
    this.version = String(doc.info?.version ?? '');
    this.registry = new SchemaRegistry(doc);
    this.indexOperations();
    this.indexErrorCodes();
  }

  static load(file: string): SpecIndex {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read the OpenAPI document ${file}: ${(err as Error).message}`);
    }
    if (!doc || typeof doc !== 'object' || !('paths' in doc)) {
      throw new Error(`${file} is not an OpenAPI document (no "paths")`);
    }
    return new SpecIndex(doc as Record<string, any>);
  }

  operation(operationId: string): OperationInfo | undefined {
    return this.byId.get(operationId);
  }

  /** Follow a local `$ref` chain (with OpenAPI 3.1 sibling keywords merged over the target). */
  deref<T = any>(node: any): T {
    let cur = node;
    for (let i = 0; i < 32 && cur && typeof cur === 'object' && typeof cur.$ref === 'string'; i++) {
      const { $ref, ...siblings } = cur;
      const target = this.pointer($ref);
      cur = Object.keys(siblings).length ? { ...target, ...siblings } : target;
    }
    return cur as T;
  }

  pointer(ref: string): any {
    if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
    return ref.slice(2).split('/').reduce<any>((o, seg) => o?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
  }

  /** The path entry a concrete path matches; fixed paths win over templated ones (D2). */
  matchPath(path: string): { template: string; methods: string[] } | undefined {
    const bare = path.split('?')[0];
    const hit = this.paths.find((p) => p.regex.test(bare));
    return hit && { template: hit.template, methods: hit.methods };
  }

  /** The operation a request hits, if any. */
  matchOperation(method: string, path: string): OperationInfo | undefined {
    const hit = this.matchPath(path);
    if (!hit) return undefined;
    return this.operations.find((o) => o.path === hit.template && o.method === method.toUpperCase());
  }

  /** All path templates with their declared methods (upper case). */
  pathTemplates(): { template: string; methods: string[] }[] {
    return this.paths.map((p) => ({ template: p.template, methods: p.methods }));
  }

  /** The declared response for a status: exact key, then `4XX`-style range, then `default`. */
  response(op: OperationInfo, status: number): ResponseInfo | undefined {
    const s = String(status);
    return (
      op.responses.find((r) => r.key === s) ??
      op.responses.find((r) => r.key.toUpperCase() === `${s[0]}XX`) ??
      op.responses.find((r) => r.key === 'default')
    );
  }

  private indexOperations(): void {
    for (const [template, rawItem] of Object.entries<any>(this.doc.paths ?? {})) {
      const item = this.deref(rawItem);
      const methods: string[] = [];
      for (const m of METHODS) {
        const op = item?.[m];
        if (!op || typeof op !== 'object') continue;
        methods.push(m.toUpperCase());
        const info = this.operationInfo(template, m.toUpperCase(), item, op);
        this.operations.push(info);
        this.byId.set(info.operationId, info);
      }
      const params = (template.match(/\{[^}]+\}/g) ?? []).length;
      const re = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
      this.paths.push({ template, methods, params, regex: new RegExp(`^${re}/?$`) });
    }
    this.paths.sort((a, b) => a.params - b.params);
  }

  private operationInfo(path: string, method: string, item: any, op: any): OperationInfo {
    const security = op.security ?? this.doc.security ?? [];
    const tags: string[] = Array.isArray(op.tags) ? op.tags : [];
    return {
      operationId: String(op.operationId ?? `${method} ${path}`),
      method,
      path,
      tags,
      scope: tags[0],
      authenticated: Array.isArray(security) && security.length > 0 && !security.some((s: object) => Object.keys(s).length === 0),
      parameters: this.parameters([...(item.parameters ?? []), ...(op.parameters ?? [])]),
      requestBody: this.requestBody(op),
      responses: Object.entries<any>(op.responses ?? {}).map(([key, r]) => this.responseInfo(key, this.deref(r))),
    };
  }

  private parameters(list: any[]): ParameterInfo[] {
    const out = new Map<string, ParameterInfo>();
    for (const raw of list) {
      const p = this.deref(raw);
      const schema = p.schema ?? {};
      const example = p.example ?? Object.values<any>(p.examples ?? {})[0]?.value ?? schema.examples?.[0];
      out.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: Boolean(p.required), schema, example });
    }
    return [...out.values()];
  }

  private requestBody(op: any): RequestBodyInfo | undefined {
    if (!op.requestBody) return undefined;
    const rb = this.deref(op.requestBody);
    const [mediaType, media] = Object.entries<any>(rb.content ?? {})[0] ?? [];
    if (!mediaType) return undefined;
    const examples: { name: string; value: unknown }[] = [];
    for (const [name, ex] of Object.entries<any>(media.examples ?? {})) {
      const e = this.deref(ex);
      if (e && 'value' in e) examples.push({ name, value: e.value });
    }
    if (media.example !== undefined) examples.push({ name: 'example', value: media.example });
    const maxBytes = op['x-max-body-bytes'] ?? rb['x-max-body-bytes'];
    return {
      required: Boolean(rb.required),
      mediaType,
      schema: media.schema ?? {},
      examples,
      maxBytes: typeof maxBytes === 'number' ? maxBytes : undefined,
    };
  }

  private responseInfo(key: string, r: any): ResponseInfo {
    const headers: Record<string, HeaderInfo> = {};
    for (const [name, h] of Object.entries<any>(r?.headers ?? {})) {
      const hd = this.deref(h);
      headers[name.toLowerCase()] = { required: Boolean(hd?.required), schema: hd?.schema };
    }
    const content: Record<string, JsonSchema | undefined> = {};
    for (const [mt, media] of Object.entries<any>(r?.content ?? {})) content[mt.toLowerCase()] = media?.schema;
    return { key, headers, content, errorCode: r?.['x-error-code'] };
  }

  private indexErrorCodes(): void {
    const map = this.doc.components?.schemas?.ErrorCode?.['x-status-codes'];
    if (map && typeof map === 'object') {
      for (const [code, status] of Object.entries(map)) this.errorCodeStatus[code] = Number(status);
    }
  }
}
