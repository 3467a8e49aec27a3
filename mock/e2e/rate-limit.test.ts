// Rate limits through the real mock with an injected clock (no sleeping): 429 on the burst and on
// the daily quota with Retry-After and details, headers on every authenticated answer (errors
// too) but not on 401 or /health, and the usage.threshold events at 80 % and 100 % of the quota.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../server.ts';
import { call } from '../test-support/client.ts';
import { conformanceProblems } from '../test-support/contract-check.ts';

const FREE = 'cc_test_demo_free';
const START = Date.parse('2026-03-10T12:00:00Z');
let clock = START;
let mock: RunningMock;
let receiver: Server;
let receiverUrl = '';
const events: { type: string; data: Record<string, unknown> }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      events.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
  mock = await startMock({ port: 0, quiet: true, now: () => clock });
});
afterAll(async () => {
  await mock?.close();
  await new Promise((r) => receiver?.close(r));
});
beforeEach(async () => {
  clock = START;
  events.length = 0;
  expect((await call(mock.url, 'POST', '/__mock/reset')).status).toBe(200);
});

async function until(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe('burst', () => {
  it('the free plan admits 20 at once, then answers 429 with Retry-After 6 until a token is back', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await call(mock.baseUrl, 'GET', '/models', { key: FREE });
      expect(r.status).toBe(200);
      expect(r.headers['x-ratelimit-remaining']).toBe(String(19 - i));
      expect(r.headers['x-ratelimit-limit']).toBe('10');
    }
    const refused = await call(mock.baseUrl, 'GET', '/models', { key: FREE });
    expect(refused.status).toBe(429);
    expect(conformanceProblems('GET', '/models', refused)).toEqual([]);
    expect(refused.json.error.details).toEqual({ window: 'burst', limit: 10, retryAfter: 6 });
    expect(refused.headers['retry-after']).toBe('6');
    expect(refused.headers['x-ratelimit-retryafter']).toBe('6');
    clock += 6_000;
    expect((await call(mock.baseUrl, 'GET', '/models', { key: FREE })).status).toBe(200);
  });

  it('a refused request is still refused before the key-type gate (429 before 403)', async () => {
    for (let i = 0; i < 100; i++) await call(mock.baseUrl, 'GET', '/memory/stats', { key: 'cc_test_demo_readonly' });
    const r = await call(mock.baseUrl, 'POST', '/memory/store', { key: 'cc_test_demo_readonly', body: { id: 'a', content: 'b' } });
    expect(r.status).toBe(429);
  });
});

describe('daily quota', () => {
  it('after 100 requests in a day the free key gets 429 window day until 00:00 UTC', async () => {
    const hook = await call(mock.baseUrl, 'POST', '/webhooks', { key: FREE, body: { url: receiverUrl, events: ['usage.threshold'] } });
    expect(hook.status).toBe(201);
    for (let i = 1; i < 100; i++) {
      clock += 6_000;
      expect((await call(mock.baseUrl, 'GET', '/models', { key: FREE })).status).toBe(200);
    }
    clock += 6_000;
    const refused = await call(mock.baseUrl, 'GET', '/models', { key: FREE });
    expect(refused.status).toBe(429);
    const midnight = Date.parse('2026-03-11T00:00:00Z');
    expect(refused.json.error.details).toEqual({ window: 'day', limit: 100, retryAfter: Math.ceil((midnight - clock) / 1000) });
    expect(refused.headers['x-ratelimit-reset']).toBe(String(midnight / 1000));
    await until(() => events.length >= 2);
    expect(events.map((e) => [e.type, e.data.threshold, e.data.used])).toEqual([
      ['usage.threshold', 80, 80],
      ['usage.threshold', 100, 100],
    ]);
    clock = midnight;
    const next = await call(mock.baseUrl, 'GET', '/user/me', { key: FREE });
    expect(next.status).toBe(200);
    expect(next.json.usage).toMatchObject({ apiCalls: 1, limit: 100, resetAt: '2026-03-12T00:00:00Z' });
  });
});

describe('which answers carry the headers', () => {
  it('authenticated errors do, 401 and /health do not', async () => {
    const notFound = await call(mock.baseUrl, 'GET', '/memory/nope', { key: FREE });
    expect(notFound.status).toBe(404);
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-retryafter']) expect(notFound.headers[h]).toMatch(/^\d+$/);
    const invalid = await call(mock.baseUrl, 'POST', '/query', { key: FREE, body: {} });
    expect(invalid.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
    const unauthorized = await call(mock.baseUrl, 'GET', '/models', { key: 'cc_test_nobody_at_all' });
    expect(unauthorized.headers['x-ratelimit-limit']).toBeUndefined();
    const health = await call(mock.baseUrl, 'GET', '/health');
    expect(health.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('every authenticated request consumes, whatever its outcome', async () => {
    const a = await call(mock.baseUrl, 'GET', '/memory/nope', { key: FREE });
    const b = await call(mock.baseUrl, 'POST', '/query', { key: FREE, body: { prompt: 'x', bad: 1 } });
    expect(Number(a.headers['x-ratelimit-remaining']) - Number(b.headers['x-ratelimit-remaining'])).toBe(1);
  });
});
