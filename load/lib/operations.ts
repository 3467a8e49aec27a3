// The 35 operations of the contract (D2) as data: method, path template, area (the contract's tag),
// success status, response kind and a body builder. Pure (no k6 imports): the k6 request helpers and
// the Node harness test both build their requests from this one table.
// Limits: path ids must be supplied by the caller (the ids of resources it created); the table
// does not follow OpenAPI links.
import * as b from './bodies.ts';
import type { Rand } from './bodies.ts';

export type Area = 'health' | 'query' | 'memory' | 'codebase' | 'agents' | 'projects' | 'user' | 'webhooks';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** What a success looks like: a JSON body, an SSE stream, or no body (204). */
export type ResponseKind = 'json' | 'sse' | 'empty';

/** Values a body or a path may need: ids of created resources, unique names, the webhook URL. */
export interface OpContext {
  unique: string;
  webhookUrl: string;
  memoryId?: string;
  agentId?: string;
  projectId?: string;
  keyId?: string;
  webhookId?: string;
  userName?: string;
  rand?: Rand;
}

export interface OperationSpec {
  id: string;
  method: Method;
  /** Path under the base URL, with `{param}` placeholders. */
  path: string;
  area: Area;
  status: number;
  kind: ResponseKind;
  /** False only for GET /health (no auth, no rate limit). */
  auth: boolean;
  body?: (ctx: OpContext) => unknown;
}

function op(id: string, method: Method, path: string, area: Area, status: number, kind: ResponseKind, body?: (ctx: OpContext) => unknown): OperationSpec {
  return { id, method, path, area, status, kind, auth: id !== 'getHealth', body };
}

export const OPERATIONS: OperationSpec[] = [
  op('getHealth', 'GET', '/health', 'health', 200, 'json'),
  op('createQuery', 'POST', '/query', 'query', 200, 'json', (c) => b.queryBody(c.rand)),
  op('streamQuery', 'POST', '/query/stream', 'query', 200, 'sse', (c) => b.streamBody(c.rand)),
  op('createChatCompletion', 'POST', '/query/chat', 'query', 200, 'json', (c) => b.chatBody(c.rand)),
  op('listModels', 'GET', '/models', 'query', 200, 'json'),
  op('storeMemory', 'POST', '/memory/store', 'memory', 201, 'json', (c) => b.memoryStoreBody(need(c.memoryId, 'memoryId'), c.rand)),
  op('searchMemories', 'POST', '/memory/search', 'memory', 200, 'json', (c) => b.memorySearchBody(c.rand)),
  op('getMemory', 'GET', '/memory/{id}', 'memory', 200, 'json'),
  op('updateMemory', 'PUT', '/memory/{id}', 'memory', 200, 'json', (c) => b.memoryUpdateBody(c.rand)),
  op('deleteMemory', 'DELETE', '/memory/{id}', 'memory', 200, 'json'),
  op('getMemoryStats', 'GET', '/memory/stats', 'memory', 200, 'json'),
  op('buildMemoryContext', 'POST', '/memory/context', 'memory', 200, 'json', (c) => b.memoryContextBody(c.rand)),
  op('analyzeCodebase', 'POST', '/codebase/analyze', 'codebase', 200, 'json', (c) => b.analyzeBody(c.rand)),
  op('generateCode', 'POST', '/codebase/generate', 'codebase', 200, 'json', (c) => b.generateBody(c.rand)),
  op('reviewCode', 'POST', '/codebase/review', 'codebase', 200, 'json', (c) => b.reviewBody(c.rand)),
  op('fixCode', 'POST', '/codebase/fix', 'codebase', 200, 'json', () => b.fixBody()),
  op('spawnAgent', 'POST', '/agents/spawn', 'agents', 202, 'json', (c) => b.spawnAgentBody(c.rand)),
  op('getAgent', 'GET', '/agents/{agentId}', 'agents', 200, 'json'),
  op('listAgentTypes', 'GET', '/agents/types', 'agents', 200, 'json'),
  op('cancelAgent', 'DELETE', '/agents/{agentId}', 'agents', 200, 'json'),
  op('listProjects', 'GET', '/projects', 'projects', 200, 'json'),
  op('createProject', 'POST', '/projects', 'projects', 201, 'json', (c) => b.projectCreateBody(c.unique)),
  op('getProject', 'GET', '/projects/{projectId}', 'projects', 200, 'json'),
  op('updateProject', 'PATCH', '/projects/{projectId}', 'projects', 200, 'json', () => b.projectUpdateBody()),
  op('deleteProject', 'DELETE', '/projects/{projectId}', 'projects', 204, 'empty'),
  op('getCurrentUser', 'GET', '/user/me', 'user', 200, 'json'),
  op('updateCurrentUser', 'PATCH', '/user/me', 'user', 200, 'json', (c) => b.userUpdateBody(need(c.userName, 'userName'))),
  op('getUsage', 'GET', '/user/usage', 'user', 200, 'json'),
  op('listApiKeys', 'GET', '/user/api-keys', 'user', 200, 'json'),
  op('createApiKey', 'POST', '/user/api-keys', 'user', 201, 'json', (c) => b.apiKeyCreateBody(c.unique)),
  op('revokeApiKey', 'DELETE', '/user/api-keys/{keyId}', 'user', 204, 'empty'),
  op('listWebhooks', 'GET', '/webhooks', 'webhooks', 200, 'json'),
  op('createWebhook', 'POST', '/webhooks', 'webhooks', 201, 'json', (c) => b.webhookCreateBody(c.webhookUrl)),
  op('deleteWebhook', 'DELETE', '/webhooks/{webhookId}', 'webhooks', 204, 'empty'),
  op('testWebhook', 'POST', '/webhooks/{webhookId}/test', 'webhooks', 200, 'json'),
];

function need(v: string | undefined, what: string): string {
  if (v === undefined || v === '') throw new Error(`operation needs ${what} in its context`);
  return v;
}

const BY_ID: Record<string, OperationSpec> = {};
for (const o of OPERATIONS) BY_ID[o.id] = o;

export function operation(id: string): OperationSpec {
  const found = BY_ID[id];
  if (!found) throw new Error(`unknown operationId ${id}`);
  return found;
}

const PARAM_SOURCES: Record<string, keyof OpContext> = {
  id: 'memoryId',
  agentId: 'agentId',
  projectId: 'projectId',
  keyId: 'keyId',
  webhookId: 'webhookId',
};

/** The path with its `{param}`s filled from the context (URL-encoded). */
export function resolvePath(spec: OperationSpec, ctx: OpContext): string {
  return spec.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const source = PARAM_SOURCES[name];
    const value = source ? ctx[source] : undefined;
    if (typeof value !== 'string' || value === '') throw new Error(`${spec.id} needs ${String(source ?? name)} for {${name}}`);
    return encodeURIComponent(value);
  });
}

/** A request ready to send: method, path, JSON text (or null) and the name tag (the template). */
export interface BuiltRequest {
  spec: OperationSpec;
  method: Method;
  path: string;
  body: string | null;
}

export function buildRequest(id: string, ctx: OpContext): BuiltRequest {
  const spec = operation(id);
  const body = spec.body ? JSON.stringify(spec.body(ctx)) : null;
  return { spec, method: spec.method, path: resolvePath(spec, ctx), body };
}

/** A short unique suffix for ids and names: time, VU and iteration. */
export function uniqueSuffix(nowMs: number, vu: number, iter: number): string {
  return `${nowMs.toString(36)}-${vu}-${iter}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
