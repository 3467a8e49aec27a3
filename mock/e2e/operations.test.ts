// The success path of every operation of the contract against a real mock on an ephemeral port,
// each response judged against the bundled spec (status, headers, body schema) by the contract's
// own ajv. A coverage test fails if an operation of the spec was not exercised.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations } from '../../openapi/spec.ts';
import { startMock, type RunningMock } from '../server.ts';
import { call, type Reply } from '../test-support/client.ts';
import { conformanceProblems } from '../test-support/contract-check.ts';

const KEY = 'cc_test_demo_team';
let clock = Date.parse('2026-03-10T12:00:00Z');
let mock: RunningMock;
let receiver: Server;
let receiverUrl = '';
const received: { headers: Record<string, unknown>; body: string }[] = [];
const covered = new Set<string>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  mock = await startMock({ port: 0, quiet: true, now: () => clock, config: { agentDurationMs: 2_000 } });
});

afterAll(async () => {
  await mock?.close();
  await new Promise((r) => receiver?.close(r));
});

/** Calls one operation, records it as covered and checks the answer against the contract. */
async function op(method: string, specPath: string, path: string, body?: unknown, key = KEY): Promise<Reply> {
  const reply = await call(mock.baseUrl, method, path, { key, body });
  expect(conformanceProblems(method, specPath, reply), `${method} ${path}: ${reply.text.slice(0, 300)}`).toEqual([]);
  if (reply.status < 300) covered.add(`${method} ${specPath}`);
  return reply;
}

describe('every operation answers its success status with a body the contract accepts', () => {
  it('health needs no key and carries no rate-limit headers', async () => {
    const r = await op('GET', '/health', '/health', undefined, '');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('ok');
    expect(r.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('query, chat, models', async () => {
    const q = await op('POST', '/query', '/query', { prompt: 'Explain the difference between REST and GraphQL', maxTokens: 1000 });
    expect(q.status).toBe(200);
    expect(q.json.text).toMatch(/REST/);
    expect(q.json.usage.totalTokens).toBe(q.json.usage.promptTokens + q.json.usage.completionTokens);
    expect(q.json.usage.completionTokens).toBe(Math.ceil(q.json.text.length / 4));
    const s = await call(mock.baseUrl, 'POST', '/query/stream', { key: KEY, body: { prompt: 'Write a haiku about type-safe APIs' } });
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(s.text).toMatch(/"type":"done"/);
    covered.add('POST /query/stream');
    const chat = await op('POST', '/query/chat', '/query/chat', { messages: [{ role: 'user', content: 'How do I create a React hook?' }] });
    expect(chat.status).toBe(200);
    const again = await op('POST', '/query/chat', '/query/chat', { conversationId: chat.json.conversationId, messages: [{ role: 'user', content: 'Show an example with useState' }] });
    expect(again.json.conversationId).toBe(chat.json.conversationId);
    expect(again.json.usage.promptTokens).toBeGreaterThan(chat.json.usage.promptTokens);
    const models = await op('GET', '/models', '/models');
    expect(models.json.models.map((m: { id: string }) => m.id)).toEqual(['gpt-4', 'claude-3-sonnet', 'gemini-pro']);
  });

  it('memory: store, get, update, search, stats, context, delete', async () => {
    expect((await op('POST', '/memory/store', '/memory/store', { id: 'auth-v2', content: 'OAuth2 with PKCE for the mobile app; refresh tokens rotate', tags: ['auth'] })).status).toBe(201);
    await op('POST', '/memory/store', '/memory/store', { id: 'billing', content: 'Billing moves to the new queue in March', importance: 'high' });
    expect((await op('GET', '/memory/{id}', '/memory/auth-v2')).json.version).toBe(1);
    expect((await op('PUT', '/memory/{id}', '/memory/auth-v2', { tags: ['auth', 'mobile'] })).json.version).toBe(2);
    const search = await op('POST', '/memory/search', '/memory/search', { query: 'mobile refresh tokens' });
    expect(search.json.results[0].id).toBe('auth-v2');
    expect((await op('GET', '/memory/stats', '/memory/stats')).json.vectorCount).toBe(2);
    const ctx = await op('POST', '/memory/context', '/memory/context', { query: 'billing queue', maxTokens: 100 });
    expect(ctx.json.memories[0].id).toBe('billing');
    const del = await op('DELETE', '/memory/{id}', '/memory/billing');
    expect(Date.parse(del.json.recoverableUntil) - Date.parse(del.json.deletedAt)).toBe(30 * 86_400_000);
  });

  it('codebase: analyze, generate, review, fix', async () => {
    const files = [
      { path: 'src/App.tsx', content: 'import React from "react";\nexport const App = () => null;\n' },
      { path: 'src/hooks/useAuth.ts', content: 'export function useAuth() {\n  return null;\n}\n' },
      { path: 'src/App.test.ts', content: 'test("x", () => {});\n' },
    ];
    const a = await op('POST', '/codebase/analyze', '/codebase/analyze', { files });
    expect(a.json.summary).toEqual({ totalFiles: 3, totalLines: 6, languages: { typescript: 100 } });
    expect(a.json.structure).toEqual({ components: 1, hooks: 1, utils: 0, tests: 1 });
    expect(a.json.dependencies.map((d: { name: string }) => d.name)).toEqual(['react']);
    await op('POST', '/codebase/generate', '/codebase/generate', { task: 'A debounce helper with tests', language: 'typescript' });
    const code = 'var x = 1;\nif (x == 2) {\n  eval("y");\n}\n';
    const r = await op('POST', '/codebase/review', '/codebase/review', { code });
    expect(r.json.issues.map((i: { line: number }) => i.line)).toEqual([1, 2, 3]);
    const f = await op('POST', '/codebase/fix', '/codebase/fix', { code });
    expect(f.json.fixedCode).toBe('let x = 1;\nif (x === 2) {\n  eval("y");\n}\n');
  });

  it('agents: types, spawn, get (running, then completed), cancel', async () => {
    expect((await op('GET', '/agents/types', '/agents/types')).json.types).toHaveLength(4);
    const spawned = await op('POST', '/agents/spawn', '/agents/spawn', { type: 'explore', prompt: 'Find the authentication code' });
    expect(spawned.status).toBe(202);
    const id = spawned.json.agentId;
    expect((await op('GET', '/agents/{agentId}', `/agents/${id}`)).json.status).toBe('running');
    clock += 2_500;
    const done = await op('GET', '/agents/{agentId}', `/agents/${id}`);
    expect(done.json.status).toBe('completed');
    expect(done.json.result.files.length).toBeGreaterThan(0);
    const other = await op('POST', '/agents/spawn', '/agents/spawn', { type: 'task', prompt: 'Rename the module' });
    expect((await op('DELETE', '/agents/{agentId}', `/agents/${other.json.agentId}`)).json.status).toBe('cancelled');
  });

  it('projects: create, list, get, update, delete', async () => {
    const p = await op('POST', '/projects', '/projects', { name: 'Website', settings: { theme: 'dark' } });
    expect(p.status).toBe(201);
    expect((await op('GET', '/projects', '/projects?limit=5')).json.projects).toHaveLength(1);
    await op('GET', '/projects/{projectId}', `/projects/${p.json.id}`);
    expect((await op('PATCH', '/projects/{projectId}', `/projects/${p.json.id}`, { description: 'Marketing site' })).json.description).toBe('Marketing site');
    const d = await op('DELETE', '/projects/{projectId}', `/projects/${p.json.id}`);
    expect(d.status).toBe(204);
    expect(d.text).toBe('');
  });

  it('user: me, update, usage, api keys', async () => {
    const me = await op('GET', '/user/me', '/user/me');
    expect(me.json.plan).toBe('team');
    expect((await op('PATCH', '/user/me', '/user/me', { name: 'Tess Team' })).json.name).toBe('Tess Team');
    const usage = await op('GET', '/user/usage', '/user/usage');
    const sum = usage.json.byEndpoint.reduce((n: number, e: { count: number }) => n + e.count, 0);
    expect(sum).toBe(usage.json.requests.thisMonth);
    const created = await op('POST', '/user/api-keys', '/user/api-keys', { name: 'CI', type: 'restricted', scopes: ['memory'] });
    expect(created.status).toBe(201);
    const list = await op('GET', '/user/api-keys', '/user/api-keys');
    expect(list.json.apiKeys.some((k: { id: string }) => k.id === created.json.id)).toBe(true);
    expect((await op('DELETE', '/user/api-keys/{keyId}', `/user/api-keys/${created.json.id}`)).status).toBe(204);
  });

  it('webhooks: create, list, test (delivered to a local receiver), delete', async () => {
    const w = await op('POST', '/webhooks', '/webhooks', { url: receiverUrl, events: ['memory.stored'] });
    expect(w.json.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const list = await op('GET', '/webhooks', '/webhooks');
    expect(list.json.webhooks[0].secret).toBeUndefined();
    const t = await op('POST', '/webhooks/{webhookId}/test', `/webhooks/${w.json.id}/test`);
    expect(t.json).toMatchObject({ delivered: true, responseStatus: 204 });
    expect(received.some((r) => r.headers['x-chaozcode-event'] === 'webhook.test')).toBe(true);
    expect((await op('DELETE', '/webhooks/{webhookId}', `/webhooks/${w.json.id}`)).status).toBe(204);
  });

  it('covered every operation of the contract', () => {
    const all = listOperations().map((o) => `${o.method} ${o.path}`);
    expect(all.filter((o) => !covered.has(o))).toEqual([]);
  });
});
