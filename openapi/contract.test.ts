// The bundled contract (generated/openapi.json) has exactly the 35 operations of decision D2:
// method, path, operationId and success status, row for row; plus the webhook events of D9.
// Limits: reads the bundle, so run `npm run build` after editing openapi/ (check:generated
// catches a stale bundle).
import { describe, expect, it } from 'vitest';
import { listOperations, loadBundledSpec } from './spec.ts';

// D2, verbatim: method path | operationId | success status.
const D2 = `
GET /health | getHealth | 200
POST /query | createQuery | 200
POST /query/stream | streamQuery | 200
POST /query/chat | createChatCompletion | 200
GET /models | listModels | 200
POST /memory/store | storeMemory | 201
POST /memory/search | searchMemories | 200
GET /memory/{id} | getMemory | 200
PUT /memory/{id} | updateMemory | 200
DELETE /memory/{id} | deleteMemory | 200
GET /memory/stats | getMemoryStats | 200
POST /memory/context | buildMemoryContext | 200
POST /codebase/analyze | analyzeCodebase | 200
POST /codebase/generate | generateCode | 200
POST /codebase/review | reviewCode | 200
POST /codebase/fix | fixCode | 200
POST /agents/spawn | spawnAgent | 202
GET /agents/{agentId} | getAgent | 200
GET /agents/types | listAgentTypes | 200
DELETE /agents/{agentId} | cancelAgent | 200
GET /projects | listProjects | 200
POST /projects | createProject | 201
GET /projects/{projectId} | getProject | 200
PATCH /projects/{projectId} | updateProject | 200
DELETE /projects/{projectId} | deleteProject | 204
GET /user/me | getCurrentUser | 200
PATCH /user/me | updateCurrentUser | 200
GET /user/usage | getUsage | 200
GET /user/api-keys | listApiKeys | 200
POST /user/api-keys | createApiKey | 201
DELETE /user/api-keys/{keyId} | revokeApiKey | 204
GET /webhooks | listWebhooks | 200
POST /webhooks | createWebhook | 201
DELETE /webhooks/{webhookId} | deleteWebhook | 204
POST /webhooks/{webhookId}/test | testWebhook | 200
`
  .trim()
  .split('\n')
  .map((row) => {
    const [route, operationId, status] = row.split('|').map((s) => s.trim());
    const [method, path] = route.split(' ');
    return { method, path, operationId, status };
  });

const WEBHOOK_EVENTS = [
  'memory.stored', 'memory.updated', 'memory.deleted', 'agent.started', 'agent.completed',
  'agent.failed', 'project.updated', 'usage.threshold', 'webhook.test',
];

const spec = loadBundledSpec();
const operations = listOperations(spec);
const key = (method: string, path: string) => `${method} ${path}`;
const byRoute = new Map(operations.map((o) => [key(o.method, o.path), o]));

function successStatuses(responses: Record<string, unknown>): string[] {
  return Object.keys(responses).filter((code) => /^2\d\d$/.test(code)).sort();
}

describe('the 35 operations of D2', () => {
  it('the table itself has 35 rows', () => {
    expect(D2).toHaveLength(35);
  });

  it('the spec has exactly these method/path pairs', () => {
    expect(operations.map((o) => key(o.method, o.path)).sort()).toEqual(D2.map((r) => key(r.method, r.path)).sort());
  });

  it.each(D2)('$method $path is $operationId answering $status', ({ method, path, operationId, status }) => {
    const entry = byRoute.get(key(method, path));
    expect(entry, `${method} ${path} is missing`).toBeDefined();
    expect(entry!.operationId).toBe(operationId);
    expect(successStatuses(entry!.operation.responses)).toEqual([status]);
  });

  it('operationIds are unique across paths and webhooks', () => {
    const webhookIds = Object.values<Record<string, { operationId?: string }>>(spec.webhooks ?? {})
      .flatMap((item) => Object.values(item).map((op) => op?.operationId))
      .filter((id): id is string => typeof id === 'string');
    const all = [...operations.map((o) => o.operationId), ...webhookIds];
    expect(new Set(all).size).toBe(all.length);
  });

  it('only /health is public; every other operation needs the bearer key', () => {
    const open = operations.filter((o) => {
      const security = o.operation.security ?? spec.security;
      return !Array.isArray(security) || security.length === 0;
    });
    expect(open.map((o) => o.operationId)).toEqual(['getHealth']);
    expect(spec.security).toEqual([{ bearerAuth: [] }]);
  });
});

describe('the webhooks section (D9)', () => {
  it('has one entry per event type, each a POST with a JSON body', () => {
    expect(Object.keys(spec.webhooks ?? {}).sort()).toEqual([...WEBHOOK_EVENTS].sort());
    for (const event of WEBHOOK_EVENTS) {
      const post = spec.webhooks[event].post;
      expect(post, event).toBeDefined();
      expect(post.requestBody?.content?.['application/json']?.schema, event).toBeDefined();
    }
  });
});
