// State round trips through the real mock: memories (versions, soft delete, reserved ids, search
// ranking, stats, context), projects (unique names, cursor pages), API keys (work at once, masked,
// revoked), webhooks (secrets hidden, URL rules), agents (complete, fail, time out, cancel) and
// per-account sharing; /__mock/reset forgets everything.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../server.ts';
import { call } from '../test-support/client.ts';
import { conformanceProblems } from '../test-support/contract-check.ts';

const PRO = 'cc_test_demo_pro';
const START = Date.parse('2026-03-10T12:00:00Z');
let clock = START;
let mock: RunningMock;
const api = (method: string, path: string, body?: unknown, key = PRO) => call(mock.baseUrl, method, path, { key, body });

beforeAll(async () => {
  mock = await startMock({ port: 0, quiet: true, now: () => clock, config: { agentDurationMs: 10_000, plans: { pro: { perMinute: 6_000, perDay: 100_000, burst: 5_000 } } } });
});
afterAll(async () => {
  await mock?.close();
});
beforeEach(async () => {
  clock = START;
  await call(mock.url, 'POST', '/__mock/reset');
});

describe('memory', () => {
  it('store, update (versions), soft delete, and the id stays taken for 30 days', async () => {
    expect((await api('POST', '/memory/store', { id: 'm1', content: 'first' })).json).toMatchObject({ ok: true, id: 'm1', version: 1 });
    clock += 1_000;
    const updated = await api('PUT', '/memory/m1', { content: 'second', metadata: { a: 1 } });
    expect(updated.json).toMatchObject({ version: 2, content: 'second', metadata: { a: 1 }, importance: 'medium', tags: [] });
    expect(updated.json.updatedAt).not.toBe(updated.json.createdAt);
    expect((await api('PUT', '/memory/m1', { importance: 'critical' })).json.version).toBe(3);
    expect((await api('DELETE', '/memory/m1')).status).toBe(200);
    expect((await api('GET', '/memory/m1')).status).toBe(404);
    expect((await api('DELETE', '/memory/m1')).status).toBe(404);
    expect((await api('POST', '/memory/store', { id: 'm1', content: 'again' })).status).toBe(409);
    clock += 31 * 86_400_000;
    expect((await api('POST', '/memory/store', { id: 'm1', content: 'again' })).status).toBe(201);
  });

  it.each(['stats', 'store', 'search', 'context'])('the reserved id %s is 422 on store', async (id) => {
    const r = await api('POST', '/memory/store', { id, content: 'x' });
    expect(r.status).toBe(422);
    expect(r.json.error.details).toMatchObject({ field: 'id', reason: 'not' });
    expect(r.json.error.message).toMatch(/reserved/);
  });

  it('search ranks by lexical relevance, filters by tags and minScore, counts the total before the limit', async () => {
    await api('POST', '/memory/store', { id: 'auth', content: 'OAuth2 login with PKCE; refresh tokens rotate on every use', tags: ['auth'] });
    await api('POST', '/memory/store', { id: 'tokens', content: 'Access tokens expire after 15 minutes; refresh tokens after 30 days', tags: ['auth', 'mobile'] });
    await api('POST', '/memory/store', { id: 'billing', content: 'Invoices are sent on the first day of the month', tags: ['billing'] });
    const all = await api('POST', '/memory/search', { query: 'refresh tokens' });
    expect(conformanceProblems('POST', '/memory/search', all)).toEqual([]);
    expect(all.json.results.map((r: { id: string }) => r.id)).toEqual(['tokens', 'auth']);
    expect(all.json.total).toBe(2);
    const scores = all.json.results.map((r: { score: number }) => r.score);
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(scores.every((s: number) => s > 0 && s <= 1)).toBe(true);
    const limited = await api('POST', '/memory/search', { query: 'refresh tokens', limit: 1 });
    expect(limited.json).toMatchObject({ total: 2, results: [{ id: 'tokens' }] });
    expect((await api('POST', '/memory/search', { query: 'refresh tokens', tags: ['mobile'] })).json.results.map((r: { id: string }) => r.id)).toEqual(['tokens']);
    expect((await api('POST', '/memory/search', { query: 'refresh tokens', minScore: 0.99 })).json).toMatchObject({ results: [], total: 0 });
    expect((await api('POST', '/memory/search', { query: 'kubernetes' })).json.total).toBe(0);
  });

  it('stats count what is stored; context fits maxTokens', async () => {
    await api('POST', '/memory/store', { id: 'a', content: 'queue '.repeat(100).trim() });
    await api('POST', '/memory/store', { id: 'b', content: 'queue migration in March' });
    const stats = (await api('GET', '/memory/stats')).json;
    expect(stats.vectorCount).toBe(2);
    expect(stats.storageBytes).toBeGreaterThan(599 + 24);
    const ctx = (await api('POST', '/memory/context', { query: 'queue migration', maxTokens: 40 })).json;
    expect(ctx.tokenCount).toBeLessThanOrEqual(40);
    expect(ctx.tokenCount).toBe(ctx.memories.reduce((n: number, m: { tokens: number }) => n + m.tokens, 0));
    expect(ctx.memories[0].id).toBe('b');
    expect(ctx.context.startsWith('[b]\nqueue migration in March')).toBe(true);
    expect(ctx.truncated).toBe(true);
  });

  it('state is per account: the readonly key sees what the pro key stored, the team key does not', async () => {
    await api('POST', '/memory/store', { id: 'shared', content: 'x' });
    expect((await api('GET', '/memory/shared', undefined, 'cc_test_demo_readonly')).status).toBe(200);
    expect((await api('GET', '/memory/shared', undefined, 'cc_test_demo_team')).status).toBe(404);
  });
});

describe('projects', () => {
  it('names are unique per account; renaming onto another name is 409, keeping one is fine', async () => {
    const a = (await api('POST', '/projects', { name: 'A' })).json;
    await api('POST', '/projects', { name: 'B' });
    expect((await api('PATCH', `/projects/${a.id}`, { name: 'B' })).status).toBe(409);
    expect((await api('PATCH', `/projects/${a.id}`, { name: 'A' })).status).toBe(200);
    expect((await api('POST', '/projects', { name: 'A' }, 'cc_test_demo_team')).status).toBe(201);
  });

  it('pages with opaque cursors, oldest first; a bad cursor is 422 field cursor', async () => {
    for (let i = 1; i <= 5; i++) await api('POST', '/projects', { name: `P${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { projects: { name: string }[]; nextCursor: string | null } } = await api('GET', `/projects?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.json.projects.map((p) => p.name));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    const bad = await api('GET', '/projects?cursor=garbage');
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.field).toBe('cursor');
    expect(conformanceProblems('GET', '/projects', bad)).toEqual([]);
  });

  it('a deleted project is 404 and frees its name', async () => {
    const p = (await api('POST', '/projects', { name: 'Gone' })).json;
    expect((await api('DELETE', `/projects/${p.id}`)).status).toBe(204);
    expect((await api('GET', `/projects/${p.id}`)).status).toBe(404);
    expect((await api('POST', '/projects', { name: 'Gone' })).status).toBe(201);
  });
});

describe('API keys', () => {
  it('a created key works at once, is listed masked with lastUsedAt, and is 401 once revoked', async () => {
    const created = (await api('POST', '/user/api-keys', { name: 'CI', type: 'production' })).json;
    expect(created.key).toMatch(/^cc_live_[A-Za-z0-9]{32}$/);
    expect(created.lastUsedAt).toBeNull();
    clock += 5_000;
    expect((await api('GET', '/user/me', undefined, created.key)).json.plan).toBe('pro');
    const listed = (await api('GET', '/user/api-keys')).json.apiKeys.find((k: { id: string }) => k.id === created.id);
    expect(listed.maskedKey).toBe(`cc_live_${created.key.slice(8, 12)}…${created.key.slice(-4)}`);
    expect(listed.lastUsedAt).toBe('2026-03-10T12:00:05Z');
    expect(JSON.stringify((await api('GET', '/user/api-keys')).json)).not.toContain(created.key);
    await api('DELETE', `/user/api-keys/${created.id}`);
    expect((await api('GET', '/user/me', undefined, created.key)).status).toBe(401);
    expect((await api('DELETE', `/user/api-keys/${created.id}`)).status).toBe(404);
  });
});

describe('webhooks', () => {
  it('secrets are shown once; plain http is only accepted for local receivers', async () => {
    const w = (await api('POST', '/webhooks', { url: 'https://example.com/hook', events: ['memory.stored'], secret: 'a-secret-of-20-chars' })).json;
    expect(w.secret).toBe('a-secret-of-20-chars');
    expect(JSON.stringify((await api('GET', '/webhooks')).json)).not.toContain('a-secret');
    const bad = await api('POST', '/webhooks', { url: 'http://example.com/hook', events: ['memory.stored'] });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.field).toBe('url');
    expect((await api('POST', '/webhooks', { url: 'http://localhost:9999/x', events: ['agent.failed'] })).status).toBe(201);
    expect((await api('DELETE', `/webhooks/${w.id}`)).status).toBe(204);
    expect((await api('POST', `/webhooks/${w.id}/test`)).status).toBe(404);
  });
});

describe('agents', () => {
  it('run until agentDurationMs has passed on the clock, then complete', async () => {
    const a = (await api('POST', '/agents/spawn', { type: 'code-review', prompt: 'Review the payment module' })).json;
    clock += 9_999;
    expect((await api('GET', `/agents/${a.agentId}`)).json.status).toBe('running');
    clock += 1;
    const done = (await api('GET', `/agents/${a.agentId}`)).json;
    expect(done).toMatchObject({ status: 'completed', duration: 10, completedAt: '2026-03-10T12:00:10Z' });
    expect(done.error).toBeUndefined();
    const cancel = await api('DELETE', `/agents/${a.agentId}`);
    expect(cancel.status).toBe(409);
    expect(conformanceProblems('DELETE', '/agents/{agentId}', cancel)).toEqual([]);
  });

  it('fail when the prompt asks for it, and time out when their timeout is shorter', async () => {
    const f = (await api('POST', '/agents/spawn', { type: 'task', prompt: 'This task should FAIL' })).json;
    const t = (await api('POST', '/agents/spawn', { type: 'task', prompt: 'Slow job', timeout: 3 })).json;
    clock += 3_000;
    const timedOut = await api('GET', `/agents/${t.agentId}`);
    expect(timedOut.json).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } });
    expect(conformanceProblems('GET', '/agents/{agentId}', timedOut)).toEqual([]);
    clock += 7_000;
    expect((await api('GET', `/agents/${f.agentId}`)).json).toMatchObject({ status: 'failed', error: { code: 'MODEL_ERROR' } });
  });

  it('cancel stops a running agent', async () => {
    const a = (await api('POST', '/agents/spawn', { type: 'explore', prompt: 'Map the repo' })).json;
    const c = (await api('DELETE', `/agents/${a.agentId}`)).json;
    expect(c.status).toBe('cancelled');
    expect(c.result).toBeUndefined();
    clock += 60_000;
    expect((await api('GET', `/agents/${a.agentId}`)).json.status).toBe('cancelled');
  });
});

describe('usage and reset', () => {
  it('usage counts the calls this mock served, by operation', async () => {
    await api('GET', '/models');
    await api('GET', '/models');
    await api('POST', '/query', { prompt: 'Explain caching' });
    const usage = (await api('GET', '/user/usage')).json;
    expect(usage.byEndpoint).toEqual([
      { operationId: 'listModels', method: 'GET', path: '/models', count: 2 },
      { operationId: 'createQuery', method: 'POST', path: '/query', count: 1 },
      { operationId: 'getUsage', method: 'GET', path: '/user/usage', count: 1 },
    ]);
    expect(usage.requests).toMatchObject({ today: 4, thisMonth: 4, limitPerDay: 100_000 });
    expect(usage.tokens.total).toBeGreaterThan(0);
    expect(usage.daily).toHaveLength(10);
  });

  it('POST /__mock/reset forgets state and created keys', async () => {
    const key = (await api('POST', '/user/api-keys', { name: 'tmp' })).json.key;
    await api('POST', '/memory/store', { id: 'x', content: 'y' });
    await call(mock.url, 'POST', '/__mock/reset');
    expect((await api('GET', '/memory/x')).status).toBe(404);
    expect((await api('GET', '/models', undefined, key)).status).toBe(401);
  });
});
