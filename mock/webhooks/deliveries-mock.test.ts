// End-to-end webhook tests through the real mock: a webhook created with POST /v2/webhooks and
// pointed at a loopback receiver gets every event type the API emits, signed (verified the way the
// docs tell a receiver to), valid against the contract's webhook schemas; retries keep id, body and
// signature; deliveries never delay the API answer; POST /v2/webhooks/{id}/test answers the outcome;
// GET /__mock/deliveries lists the attempts without secrets.
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../config.ts';
import { startMock, type RunningMock } from '../server.ts';
import { contractSchema, webhookEventSchemaName } from '../streams/contract-schemas.ts';
import { WEBHOOK_EVENT_TYPES } from './event.ts';
import { closedPortUrl, receiverVerifies, startTestReceiver, type ReceivedDelivery, type TestReceiver } from './test-receiver.ts';

const PRO = 'cc_test_demo_pro';
const FREE = 'cc_test_demo_free';
let mock: RunningMock;
let receiver: TestReceiver;

beforeAll(async () => {
  mock = await startMock({
    port: 0,
    quiet: true,
    config: {
      agentDurationMs: 50,
      webhooks: { backoffBaseMs: 25, maxAttempts: 5, timeoutMs: 1_500 },
      // A small daily quota on the free plan, so that usage.threshold (80 % and 100 %) is reachable.
      plans: { ...defaultConfig().plans, free: { perMinute: 600, perDay: 10, burst: 50 } },
    },
  });
  receiver = await startTestReceiver();
});

afterAll(async () => {
  await mock?.close();
  await receiver?.close();
});

async function api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, key: string | undefined, body?: unknown) {
  const res = await request(`${path.startsWith('/__mock') ? mock.url : mock.baseUrl}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

async function createWebhook(key: string, url: string, events: readonly string[]): Promise<{ id: string; secret: string }> {
  const created = await api('POST', '/webhooks', key, { url, events });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body?.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
  return { id: created.body?.id as string, secret: created.body?.secret as string };
}

/** A delivery of `type` signed with `secret`, i.e. for one webhook (several share the receiver). */
const of = (type: string, secret: string) => (d: ReceivedDelivery) => d.headers['x-chaozcode-event'] === type && receiverVerifies(secret, d);

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

function checkDelivery(d: ReceivedDelivery, secret: string): Record<string, unknown> {
  expect(receiverVerifies(secret, d)).toBe(true);
  const event = JSON.parse(d.rawBody.toString('utf8')) as Record<string, unknown>;
  expect(contractSchema(webhookEventSchemaName(String(event.type)))(event)).toEqual([]);
  expect(d.headers['x-chaozcode-event']).toBe(event.type);
  expect(d.headers['x-chaozcode-delivery']).toBe(event.id);
  expect(d.headers['content-type']).toBe('application/json');
  return event;
}

describe('webhook deliveries from the mock', () => {
  it('delivers every event type the API emits, signed and valid against the contract', async () => {
    const pro = await createWebhook(PRO, receiver.url, WEBHOOK_EVENT_TYPES);
    const free = await createWebhook(FREE, receiver.url, ['usage.threshold']);

    expect((await api('POST', '/memory/store', PRO, { id: 'e2e-note', content: 'naïve café ✓', tags: ['e2e'], importance: 'high' })).status).toBe(201);
    expect((await api('PUT', '/memory/e2e-note', PRO, { importance: 'low' })).status).toBe(200);
    expect((await api('DELETE', '/memory/e2e-note', PRO)).status).toBe(200);
    const project = await api('POST', '/projects', PRO, { name: 'e2e project' });
    expect((await api('PATCH', `/projects/${project.body?.id}`, PRO, { description: 'changed' })).status).toBe(200);
    const ok = await api('POST', '/agents/spawn', PRO, { type: 'task', prompt: 'Summarise the repository' });
    const bad = await api('POST', '/agents/spawn', PRO, { type: 'task', prompt: 'Please fail this task' });
    expect([ok.status, bad.status]).toEqual([202, 202]);
    await new Promise((r) => setTimeout(r, 100));
    await api('GET', `/agents/${ok.body?.agentId}`, PRO);
    await api('GET', `/agents/${bad.body?.agentId}`, PRO);
    for (let i = 0; i < 10; i++) await api('GET', '/models', FREE); // 8th is 80 %, 10th is 100 % of 10

    const types = [...WEBHOOK_EVENT_TYPES].filter((t) => t !== 'usage.threshold');
    expect(await until(() => types.every((t) => receiver.received.some(of(t, pro.secret))))).toBe(true);
    expect(await until(() => receiver.received.filter(of('usage.threshold', free.secret)).length === 2)).toBe(true);
    for (const type of types) checkDelivery(receiver.received.find(of(type, pro.secret)) as ReceivedDelivery, pro.secret);
    const thresholds = receiver.received.filter(of('usage.threshold', free.secret)).map((d) => checkDelivery(d, free.secret).data as { threshold: number });
    expect(thresholds.map((t) => t.threshold).sort()).toEqual([100, 80]);
    const stored = JSON.parse((receiver.received.find(of('memory.stored', pro.secret)) as ReceivedDelivery).rawBody.toString()) as { data: unknown };
    expect(stored.data).toMatchObject({ memoryId: 'e2e-note', tags: ['e2e'], importance: 'high' });
    // The free account's webhook hears nothing of the pro account's memories.
    expect(receiver.received.some(of('memory.stored', free.secret))).toBe(false);
  });

  it('a receiver answering 500 sees retries with the same id, body and signature', async () => {
    const hook = await createWebhook(PRO, receiver.url, ['project.updated']);
    let failuresLeft = 2;
    receiver.answer = (_n, d) => (of('project.updated', hook.secret)(d) && failuresLeft-- > 0 ? 500 : 200);
    try {
      const project = await api('POST', '/projects', PRO, { name: 'retried project' });
      await api('PATCH', `/projects/${project.body?.id}`, PRO, { description: 'again' });
      expect(await until(() => receiver.received.filter(of('project.updated', hook.secret)).length === 3)).toBe(true);
    } finally {
      receiver.answer = () => 200;
    }
    const tries = receiver.received.filter(of('project.updated', hook.secret));
    for (const t of tries) {
      expect(t.rawBody.equals(tries[0].rawBody)).toBe(true);
      expect(t.headers['x-chaozcode-delivery']).toBe(tries[0].headers['x-chaozcode-delivery']);
      expect(t.headers['x-chaozcode-signature']).toBe(tries[0].headers['x-chaozcode-signature']);
    }
    const log = (await api('GET', '/__mock/deliveries', undefined)).body?.deliveries as Array<Record<string, unknown>>;
    const attempts = log.filter((a) => a.eventId === tries[0].headers['x-chaozcode-delivery'] && a.webhookId === hook.id);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 500], [2, 500], [3, 200]]);
  });

  it('a hanging receiver never delays the API answer that caused the event', async () => {
    const hanging = await startTestReceiver(() => 'hang');
    try {
      await createWebhook(PRO, hanging.url, ['memory.stored']);
      const started = performance.now();
      const stored = await api('POST', '/memory/store', PRO, { id: 'e2e-fast', content: 'quick' });
      expect(stored.status).toBe(201);
      expect(performance.now() - started).toBeLessThan(500);
      await hanging.waitFor(1);
    } finally {
      await hanging.close();
    }
  });

  it('POST /webhooks/{id}/test delivers one webhook.test event and answers the outcome', async () => {
    const hook = await createWebhook(PRO, receiver.url, ['agent.failed']);
    const before = receiver.received.length;
    const res = await api('POST', `/webhooks/${hook.id}/test`, PRO);
    expect(res.status).toBe(200);
    expect(contractSchema('WebhookTestResult')(res.body)).toEqual([]);
    expect(res.body).toMatchObject({ delivered: true, responseStatus: 200 });
    const got = receiver.received.slice(before).find((d) => d.headers['x-chaozcode-delivery'] === res.body?.eventId) as ReceivedDelivery;
    expect(got).toBeDefined();
    expect(checkDelivery(got, hook.secret)).toMatchObject({ type: 'webhook.test', data: { webhookId: hook.id } });
  });

  it('POST /webhooks/{id}/test to an unreachable receiver answers 200 with the failure', async () => {
    const hook = await createWebhook(PRO, await closedPortUrl(), ['memory.stored']);
    const res = await api('POST', `/webhooks/${hook.id}/test`, PRO);
    expect(res.status).toBe(200);
    expect(contractSchema('WebhookTestResult')(res.body)).toEqual([]);
    expect(res.body).toMatchObject({ delivered: false, responseStatus: null });
    expect(res.body?.error).toMatch(/ECONNREFUSED/);
  });

  it('GET /__mock/deliveries lists every attempt, never a secret', async () => {
    const res = await api('GET', '/__mock/deliveries', undefined);
    expect(res.status).toBe(200);
    const log = res.body?.deliveries as Array<Record<string, unknown>>;
    expect(log.length).toBeGreaterThan(10);
    for (const a of log) {
      expect(a).toMatchObject({ eventId: expect.stringMatching(/^evt_/), webhookId: expect.stringMatching(/^whk_/), attempt: expect.any(Number) });
      expect(typeof a.url).toBe('string');
      expect(typeof a.durationMs).toBe('number');
    }
    expect(JSON.stringify(res.body)).not.toMatch(/whsec_/);
    expect(new Set(log.map((a) => a.type))).toEqual(new Set([...WEBHOOK_EVENT_TYPES, 'webhook.test']));
  });

  it('POST /__mock/reset empties the delivery log', async () => {
    expect((await api('POST', '/__mock/reset', undefined)).status).toBe(200);
    expect((await api('GET', '/__mock/deliveries', undefined)).body?.deliveries).toEqual([]);
  });
});
