// `Prefer: dynamic=true` on every GET and DELETE operation (and the resources they read), with
// several seeds: each answer must validate against the contract. Prism's generator ignores
// `if/then/else` (an Agent's `result` exactly when completed) and ajv's `uri` format (a webhook url
// generated from the pattern as `https://^02`), so the mock must not pass such a body on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../server.ts';
import { call } from '../test-support/client.ts';
import { conformanceProblems } from '../test-support/contract-check.ts';

const KEY = 'cc_test_demo_team';
let mock: RunningMock;
const ids: Record<string, string> = {};

beforeAll(async () => {
  mock = await startMock({ port: 0, quiet: true });
  await call(mock.baseUrl, 'POST', '/memory/store', { key: KEY, body: { id: 'm1', content: 'hello' } });
  ids.agentId = (await call(mock.baseUrl, 'POST', '/agents/spawn', { key: KEY, body: { type: 'explore', prompt: 'x' } })).json.agentId;
  ids.projectId = (await call(mock.baseUrl, 'POST', '/projects', { key: KEY, body: { name: 'p' } })).json.id;
});
afterAll(async () => {
  await mock?.close();
});

const cases: [string, string, (i: typeof ids) => string][] = [
  ['GET', '/agents/{agentId}', (i) => `/agents/${i.agentId}`],
  ['DELETE', '/agents/{agentId}', (i) => `/agents/${i.agentId}`],
  ['GET', '/webhooks', () => '/webhooks'],
  ['GET', '/user/api-keys', () => '/user/api-keys'],
  ['GET', '/projects/{projectId}', (i) => `/projects/${i.projectId}`],
  ['GET', '/memory/{id}', () => '/memory/m1'],
  ['GET', '/models', () => '/models'],
  ['GET', '/user/usage', () => '/user/usage'],
];

describe('Prefer: dynamic=true', () => {
  it.each(cases)('%s %s answers bodies that validate against the contract, whatever the seed', async (method, specPath, path) => {
    const problems: string[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const prefer = method === 'DELETE' ? `code=200, dynamic=true, seed=${seed}` : `dynamic=true, seed=${seed}`;
      const reply = await call(mock.baseUrl, method, path(ids), { key: KEY, headers: { prefer } });
      expect(reply.status).toBe(200);
      problems.push(...conformanceProblems(method, specPath, reply).map((p) => `seed ${seed}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});
