// Each error class of the contract against a real mock: 401 (missing, malformed, unknown, revoked),
// 403 (readonly, restricted), 400 (malformed JSON, missing field, wrong Content-Type), 422 (range,
// enum, unknown property), 404, 405, 409, 413, and the order of the gates (D4). Every answer is
// checked against the contract (envelope, requestId = X-Request-Id, declared headers).
import { describe, expect, it } from 'vitest';
import { useMock } from '../test-support/use-mock.ts';
import { call, type Reply } from '../test-support/client.ts';
import { conformanceProblems } from '../test-support/contract-check.ts';

const PRO = 'cc_test_demo_pro';
const mock = useMock({ config: { plans: { pro: { perMinute: 600, perDay: 100_000, burst: 1_000 } } } });

async function expectError(reply: Reply, status: number, code: string, method: string, specPath: string | undefined): Promise<void> {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.json.error.code).toBe(code);
  expect(conformanceProblems(method, specPath, reply)).toEqual([]);
}

describe('401 UNAUTHORIZED', () => {
  it.each([
    ['no header', undefined],
    ['not Bearer', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['malformed key', { authorization: 'Bearer not-a-key' }],
    ['unknown key', { authorization: 'Bearer cc_test_unknown_key_123' }],
  ])('%s', async (_name, headers) => {
    const r = await call(mock().baseUrl, 'GET', '/models', { headers });
    await expectError(r, 401, 'UNAUTHORIZED', 'GET', '/models');
    expect(r.headers['www-authenticate']).toBe('Bearer');
    expect(r.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('a revoked key gets 401 on its next request', async () => {
    const created = await call(mock().baseUrl, 'POST', '/user/api-keys', { key: PRO, body: { name: 'short-lived' } });
    expect((await call(mock().baseUrl, 'GET', '/models', { key: created.json.key })).status).toBe(200);
    expect((await call(mock().baseUrl, 'DELETE', `/user/api-keys/${created.json.id}`, { key: PRO })).status).toBe(204);
    await expectError(await call(mock().baseUrl, 'GET', '/models', { key: created.json.key }), 401, 'UNAUTHORIZED', 'GET', '/models');
  });
});

describe('403 FORBIDDEN', () => {
  it('a readonly key may GET but not POST', async () => {
    expect((await call(mock().baseUrl, 'GET', '/memory/stats', { key: 'cc_test_demo_readonly' })).status).toBe(200);
    const r = await call(mock().baseUrl, 'POST', '/memory/store', { key: 'cc_test_demo_readonly', body: { id: 'x', content: 'y' } });
    await expectError(r, 403, 'FORBIDDEN', 'POST', '/memory/store');
    expect(r.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
  });

  it('a restricted key only reaches its scopes', async () => {
    expect((await call(mock().baseUrl, 'GET', '/memory/stats', { key: 'cc_test_demo_restricted' })).status).toBe(200);
    await expectError(await call(mock().baseUrl, 'GET', '/models', { key: 'cc_test_demo_restricted' }), 403, 'FORBIDDEN', 'GET', '/models');
  });
});

describe('400 INVALID_REQUEST and 422 VALIDATION_ERROR (D6)', () => {
  it('malformed JSON is 400', async () => {
    const r = await call(mock().baseUrl, 'POST', '/query', { key: PRO, raw: '{"prompt": ', headers: { 'content-type': 'application/json' } });
    await expectError(r, 400, 'INVALID_REQUEST', 'POST', '/query');
  });

  it('a missing required field is 400 with details naming it', async () => {
    const r = await call(mock().baseUrl, 'POST', '/query', { key: PRO, body: { model: 'gpt-4' } });
    await expectError(r, 400, 'INVALID_REQUEST', 'POST', '/query');
    expect(r.json.error.details).toMatchObject({ field: 'prompt', reason: 'required' });
  });

  it('a body sent as text/plain is 400', async () => {
    const r = await call(mock().baseUrl, 'POST', '/query', { key: PRO, raw: '{"prompt":"x"}', headers: { 'content-type': 'text/plain' } });
    await expectError(r, 400, 'INVALID_REQUEST', 'POST', '/query');
  });

  it.each([
    ['range', { prompt: 'x', temperature: 5 }, 'temperature', 'maximum'],
    ['enum', { prompt: 'x', model: 'gpt-5' }, 'model', 'enum'],
    ['unknown property', { prompt: 'x', max_tokens: 10 }, 'max_tokens', 'additionalProperties'],
    ['type', { prompt: 'x', maxTokens: 'many' }, 'maxTokens', 'type'],
  ])('%s is 422 with field and reason', async (_name, body, field, reason) => {
    const r = await call(mock().baseUrl, 'POST', '/query', { key: PRO, body });
    await expectError(r, 422, 'VALIDATION_ERROR', 'POST', '/query');
    expect(r.json.error.details).toMatchObject({ field, reason });
    expect(r.json.error.details.violations[0]).toMatchObject({ field, reason });
  });

  it('nested fields are named like messages[1].role', async () => {
    const r = await call(mock().baseUrl, 'POST', '/query/chat', { key: PRO, body: { messages: [{ role: 'user', content: 'a' }, { role: 'bot', content: 'b' }] } });
    await expectError(r, 422, 'VALIDATION_ERROR', 'POST', '/query/chat');
    expect(r.json.error.details.field).toBe('messages[1].role');
  });

  it('a conditionally required field is 422, not 400 (restricted key without scopes)', async () => {
    const r = await call(mock().baseUrl, 'POST', '/user/api-keys', { key: PRO, body: { name: 'r', type: 'restricted' } });
    await expectError(r, 422, 'VALIDATION_ERROR', 'POST', '/user/api-keys');
    expect(r.json.error.details.field).toBe('scopes');
  });

  it('a query parameter out of range is 422', async () => {
    const r = await call(mock().baseUrl, 'GET', '/projects?limit=101', { key: PRO });
    await expectError(r, 422, 'VALIDATION_ERROR', 'GET', '/projects');
    expect(r.json.error.details).toMatchObject({ field: 'limit', reason: 'maximum' });
  });
});

describe('404, 405, 409, 413', () => {
  it('an unknown path is 404, with rate-limit headers for an authenticated caller', async () => {
    const r = await call(mock().baseUrl, 'GET', '/nothing/here', { key: PRO });
    await expectError(r, 404, 'NOT_FOUND', 'GET', undefined);
    expect(r.headers['x-ratelimit-limit']).toBe('600');
  });

  it('a path outside /v2 is 404 without a key', async () => {
    await expectError(await call(mock().url, 'GET', '/v1/models'), 404, 'NOT_FOUND', 'GET', undefined);
  });

  it('unknown and malformed ids are 404', async () => {
    await expectError(await call(mock().baseUrl, 'GET', '/memory/never-stored', { key: PRO }), 404, 'NOT_FOUND', 'GET', '/memory/{id}');
    await expectError(await call(mock().baseUrl, 'GET', '/agents/not_an_agent', { key: PRO }), 404, 'NOT_FOUND', 'GET', '/agents/{agentId}');
    await expectError(await call(mock().baseUrl, 'GET', '/projects/proj_doesNotExist', { key: PRO }), 404, 'NOT_FOUND', 'GET', '/projects/{projectId}');
  });

  it('a known path with another method is 405 with Allow; fixed paths win over templates', async () => {
    const r = await call(mock().baseUrl, 'GET', '/memory/store', { key: PRO });
    await expectError(r, 405, 'METHOD_NOT_ALLOWED', 'GET', undefined);
    expect(r.headers.allow).toBe('POST');
    const d = await call(mock().baseUrl, 'DELETE', '/models', { key: PRO });
    expect(d.status).toBe(405);
    expect(d.headers.allow).toBe('GET');
  });

  it('a duplicate memory id and a duplicate project name are 409', async () => {
    await call(mock().baseUrl, 'POST', '/memory/store', { key: PRO, body: { id: 'dup', content: 'first' } });
    await expectError(await call(mock().baseUrl, 'POST', '/memory/store', { key: PRO, body: { id: 'dup', content: 'second' } }), 409, 'CONFLICT', 'POST', '/memory/store');
    await call(mock().baseUrl, 'POST', '/projects', { key: PRO, body: { name: 'Same' } });
    await expectError(await call(mock().baseUrl, 'POST', '/projects', { key: PRO, body: { name: 'Same' } }), 409, 'CONFLICT', 'POST', '/projects');
  });

  it('a JSON body over 1 MiB is 413; /codebase/* takes up to 10 MiB', async () => {
    const big = 'x'.repeat(1_100_000);
    await expectError(await call(mock().baseUrl, 'POST', '/query', { key: PRO, body: { prompt: big } }), 413, 'PAYLOAD_TOO_LARGE', 'POST', '/query');
    const files = [{ path: 'big.txt', content: `${'line\n'.repeat(400_000)}` }];
    const ok = await call(mock().baseUrl, 'POST', '/codebase/analyze', { key: PRO, body: { files } });
    expect(ok.status).toBe(200);
    expect(ok.json.summary.totalLines).toBe(400_000);
  });
});

describe('order of the gates (D4): 401, 429, 403, 400, 422, 404/409', () => {
  it('403 comes before 400: a readonly key sending broken JSON is refused for the key', async () => {
    const r = await call(mock().baseUrl, 'POST', '/query', { key: 'cc_test_demo_readonly', raw: '{oops', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(403);
  });

  it('400 comes before 422: a missing field wins over a bad one', async () => {
    const r = await call(mock().baseUrl, 'POST', '/query', { key: PRO, body: { temperature: 9 } });
    expect(r.status).toBe(400);
    expect(r.json.error.details.violations.map((v: { field: string }) => v.field)).toEqual(['prompt', 'temperature']);
  });

  it('422 comes before 404: a bad update of an unknown memory is 422', async () => {
    const r = await call(mock().baseUrl, 'PUT', '/memory/not-there', { key: PRO, body: {} });
    await expectError(r, 422, 'VALIDATION_ERROR', 'PUT', '/memory/{id}');
    expect(r.json.error.details.reason).toBe('minProperties');
  });

  it('401 comes before 404 on an unknown path under /v2', async () => {
    expect((await call(mock().baseUrl, 'GET', '/nothing/here')).status).toBe(401);
  });
});
