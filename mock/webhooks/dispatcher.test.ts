// Dispatcher tests against real receivers on loopback: each event type arrives signed with the D9
// headers; failures are retried with backoff and the same id, bytes and signature; unreachable and
// hanging receivers never block emit() and are logged; sendTest answers the outcome; close() and
// reset() cancel what is pending; secrets never reach the log.
import { afterEach, describe, expect, it } from 'vitest';
import { contractSchema, webhookEventSchemaName } from '../streams/contract-schemas.ts';
import { WebhookDispatcher, type WebhookSubscription } from './dispatcher.ts';
import { WEBHOOK_EVENT_TYPES } from './event.ts';
import { closedPortUrl, receiverVerifies, startTestReceiver, type TestReceiver } from './test-receiver.ts';

const SECRET = 'whsec_9fJ2kLmN4pQ7rS1tU5vW8xY0zA3bC6dE';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

function sub(url: string, over: Partial<WebhookSubscription> = {}): WebhookSubscription {
  return { id: 'whk_T3stHook0000001', url, events: [...WEBHOOK_EVENT_TYPES], secret: SECRET, active: true, createdAt: '2026-01-30T12:00:00Z', ...over };
}

function dispatcher(over: Partial<ConstructorParameters<typeof WebhookDispatcher>[0]> = {}): WebhookDispatcher {
  const d = new WebhookDispatcher({ backoffBaseMs: 20, maxAttempts: 5, timeoutMs: 2_000, ...over });
  cleanups.push(() => d.close());
  return d;
}

async function receiver(answer?: Parameters<typeof startTestReceiver>[0]): Promise<TestReceiver> {
  const r = await startTestReceiver(answer);
  cleanups.push(() => r.close());
  return r;
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deliveries', () => {
  it('delivers every event type, signed over the raw body, with the D9 headers', async () => {
    const r = await receiver();
    const d = dispatcher();
    for (const type of WEBHOOK_EVENT_TYPES) d.emit([sub(r.url)], type, { kind: type, note: 'naïve café ✓' });
    const got = await r.waitFor(WEBHOOK_EVENT_TYPES.length);
    expect(got.map((g) => g.headers['x-chaozcode-event']).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const g of got) {
      expect(receiverVerifies(SECRET, g)).toBe(true);
      expect(receiverVerifies('whsec_other', g)).toBe(false);
      const event = JSON.parse(g.rawBody.toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(event)).toEqual(['id', 'type', 'createdAt', 'data']);
      expect(event.id).toMatch(/^evt_[A-Za-z0-9]{16}$/);
      expect(event.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(event.data).toEqual({ kind: event.type, note: 'naïve café ✓' });
      expect(g.headers['x-chaozcode-event']).toBe(event.type);
      expect(g.headers['x-chaozcode-delivery']).toBe(event.id);
      expect(g.headers['content-type']).toBe('application/json');
      expect(g.headers['user-agent']).toBe('ChaozCode-Webhooks/2.0');
    }
    expect(await until(() => d.log().length === WEBHOOK_EVENT_TYPES.length)).toBe(true);
    expect(d.log().every((a) => a.delivered && a.status === 200 && a.attempt === 1 && a.retryInMs === undefined)).toBe(true);
  });

  it('skips inactive subscriptions and subscriptions to other events; one event has one id and body for all', async () => {
    const r = await receiver();
    const d = dispatcher();
    const subs = [
      sub(r.url, { id: 'whk_inactive', active: false }),
      sub(r.url, { id: 'whk_other', events: ['agent.failed'] }),
      sub(r.url, { id: 'whk_a' }),
      sub(r.url, { id: 'whk_b', secret: 'whsec_second_secret_0123456789abc', events: ['memory.stored'] }),
    ];
    d.emit(subs, 'memory.stored', { memoryId: 'project-update' });
    const got = await r.waitFor(2);
    await sleep(100);
    expect(r.received.length).toBe(2);
    expect(d.log().map((a) => a.webhookId).sort()).toEqual(['whk_a', 'whk_b']);
    expect(got[0].rawBody.equals(got[1].rawBody)).toBe(true);
    expect(got[0].headers['x-chaozcode-delivery']).toBe(got[1].headers['x-chaozcode-delivery']);
    expect(got[0].headers['x-chaozcode-signature']).not.toBe(got[1].headers['x-chaozcode-signature']);
    const verified = got.map((g) => receiverVerifies(SECRET, g) || receiverVerifies('whsec_second_secret_0123456789abc', g));
    expect(verified).toEqual([true, true]);
  });

  it('retries after 500 with backoff, with the same id, body and signature', async () => {
    const r = await receiver((n) => (n <= 2 ? 500 : 204));
    const d = dispatcher({ backoffBaseMs: 40 });
    d.emit([sub(r.url)], 'agent.completed', { agentId: 'agent_X1' });
    const got = await r.waitFor(3);
    for (const g of got.slice(1)) {
      expect(g.rawBody.equals(got[0].rawBody)).toBe(true);
      expect(g.headers['x-chaozcode-delivery']).toBe(got[0].headers['x-chaozcode-delivery']);
      expect(g.headers['x-chaozcode-signature']).toBe(got[0].headers['x-chaozcode-signature']);
      expect(receiverVerifies(SECRET, g)).toBe(true);
    }
    expect(got[1].receivedAt - got[0].receivedAt).toBeGreaterThanOrEqual(35);
    expect(got[2].receivedAt - got[1].receivedAt).toBeGreaterThanOrEqual(75);
    expect(await until(() => d.log().length === 3)).toBe(true);
    expect(d.log().map((a) => [a.attempt, a.status, a.delivered, a.retryInMs])).toEqual([
      [1, 500, false, 40],
      [2, 500, false, 80],
      [3, 204, true, undefined],
    ]);
    expect(d.log()[0].error).toBe('the receiver answered 500');
  });

  it('stops after maxAttempts attempts in all', async () => {
    const r = await receiver(() => 503);
    const d = dispatcher({ backoffBaseMs: 5, maxAttempts: 5 });
    d.emit([sub(r.url)], 'project.updated', { projectId: 'proj_1' });
    await r.waitFor(5);
    await sleep(5 * 2 ** 5 + 150);
    expect(r.received.length).toBe(5);
    const log = d.log();
    expect(log.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(log[4].retryInMs).toBeUndefined();
    expect(log.every((a) => a.maxAttempts === 5 && !a.delivered)).toBe(true);
  });

  it.each([[302], [404], [410]])('treats %i as a failure and retries it', async (status) => {
    const r = await receiver((n) => (n === 1 ? status : 200));
    const d = dispatcher({ backoffBaseMs: 5 });
    d.emit([sub(r.url)], 'memory.deleted', { memoryId: 'm1' });
    await r.waitFor(2);
    expect(await until(() => d.log().length === 2)).toBe(true);
    expect(d.log().map((a) => a.status)).toEqual([status, 200]);
  });
});

describe('receivers that do not answer', () => {
  it('an unreachable receiver never blocks emit and is logged with its error on every attempt', async () => {
    const d = dispatcher({ backoffBaseMs: 5, maxAttempts: 3 });
    const url = await closedPortUrl();
    const started = performance.now();
    for (let i = 0; i < 50; i++) d.emit([sub(url)], 'memory.stored', { i });
    expect(performance.now() - started).toBeLessThan(250);
    expect(d.log()).toEqual([]); // nothing was attempted synchronously
    expect(await until(() => d.log().length === 150)).toBe(true);
    expect(d.log().every((a) => a.status === null && !a.delivered && /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
  });

  it('a hanging receiver is cut off after timeoutMs, retried, and logged', async () => {
    const r = await receiver(() => 'hang');
    const d = dispatcher({ backoffBaseMs: 10, maxAttempts: 2, timeoutMs: 150 });
    const started = performance.now();
    d.emit([sub(r.url)], 'usage.threshold', { percent: 80 });
    expect(performance.now() - started).toBeLessThan(100);
    expect(await until(() => d.log().length === 2)).toBe(true);
    expect(r.received.length).toBe(2);
    for (const a of d.log()) {
      expect(a.error).toBe('no answer within 150 ms');
      expect(a.status).toBeNull();
      expect(a.durationMs).toBeGreaterThanOrEqual(140);
      expect(a.durationMs).toBeLessThan(1_000);
    }
  });

  it('close() cancels attempts in flight and pending retries, quickly', async () => {
    const hanging = await receiver(() => 'hang');
    const failing = await receiver(() => 500);
    const d = new WebhookDispatcher({ backoffBaseMs: 200, maxAttempts: 5, timeoutMs: 10_000 });
    d.emit([sub(hanging.url), sub(failing.url, { id: 'whk_failing' })], 'agent.started', { agentId: 'agent_1' });
    await hanging.waitFor(1);
    await failing.waitFor(1);
    expect(await until(() => d.log().length === 1)).toBe(true); // the 500, with a retry scheduled
    const started = performance.now();
    await d.close();
    expect(performance.now() - started).toBeLessThan(500);
    d.emit([sub(failing.url)], 'agent.started', {});
    await sleep(400);
    expect(failing.received.length).toBe(1);
    expect(hanging.received.length).toBe(1);
    expect((await d.sendTest(sub(failing.url))).error).toMatch(/closed/);
  });

  it('reset() forgets the log and cancels pending retries', async () => {
    const r = await receiver(() => 500);
    const d = dispatcher({ backoffBaseMs: 100 });
    d.emit([sub(r.url)], 'agent.failed', {});
    await r.waitFor(1);
    expect(await until(() => d.log().length === 1)).toBe(true);
    d.reset();
    expect(d.log()).toEqual([]);
    await sleep(250);
    expect(r.received.length).toBe(1);
  });

  it('reset() also cancels an attempt in flight to a hanging receiver', async () => {
    const r = await receiver(() => 'hang');
    const d = dispatcher({ timeoutMs: 10_000 });
    d.emit([sub(r.url)], 'agent.failed', {});
    await r.waitFor(1);
    expect(r.open()).toBe(1);
    d.reset();
    expect(await until(() => r.open() === 0, 1_000)).toBe(true);
    expect(d.log()).toEqual([]);
  });
});

describe('sendTest', () => {
  it('delivers one webhook.test event at once and answers the outcome', async () => {
    const r = await receiver(() => 200);
    const d = dispatcher();
    const outcome = await d.sendTest(sub(r.url, { events: ['memory.stored'] }));
    expect(r.received.length).toBe(1);
    const event = JSON.parse(r.received[0].rawBody.toString('utf8')) as { id: string; type: string; data: { webhookId: string } };
    expect(outcome).toEqual({ eventId: event.id, delivered: true, responseStatus: 200, durationMs: outcome.durationMs });
    expect(event.type).toBe('webhook.test');
    expect(contractSchema(webhookEventSchemaName('webhook.test'))(event)).toEqual([]);
    expect(contractSchema('WebhookTestResult')(outcome)).toEqual([]);
    expect(event.data.webhookId).toBe('whk_T3stHook0000001');
    expect(receiverVerifies(SECRET, r.received[0])).toBe(true);
    expect(d.log().map((a) => [a.type, a.attempt, a.maxAttempts])).toEqual([['webhook.test', 1, 1]]);
  });

  it('does not retry a failed test, and reports the status and error', async () => {
    const r = await receiver(() => 500);
    const d = dispatcher({ backoffBaseMs: 5 });
    const outcome = await d.sendTest(sub(r.url));
    await sleep(100);
    expect(r.received.length).toBe(1);
    expect(outcome).toMatchObject({ delivered: false, responseStatus: 500, error: 'the receiver answered 500' });
    expect(contractSchema('WebhookTestResult')(outcome)).toEqual([]);
  });

  it('reports an unreachable receiver without throwing', async () => {
    const d = dispatcher();
    const outcome = await d.sendTest(sub(await closedPortUrl()));
    expect(outcome.delivered).toBe(false);
    expect(outcome.responseStatus).toBeNull();
    expect(outcome.error).toMatch(/ECONNREFUSED/);
    expect(outcome.eventId).toMatch(/^evt_[A-Za-z0-9]{16}$/);
    expect(contractSchema('WebhookTestResult')(outcome)).toEqual([]);
  });
});

describe('bad input and secrets', () => {
  it('logs an unusable URL once, without retrying, and never throws', async () => {
    const d = dispatcher({ backoffBaseMs: 5 });
    expect(() => d.emit([sub('ftp://example.invalid/x'), sub('not a url')], 'memory.stored', {})).not.toThrow();
    expect(await until(() => d.log().length === 2)).toBe(true);
    await sleep(50);
    expect(d.log().length).toBe(2);
    expect(d.log().every((a) => a.error === 'the webhook URL is not an http(s) URL')).toBe(true);
  });

  it('logs data that cannot be serialised instead of throwing', () => {
    const d = dispatcher();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => d.emit([sub('http://127.0.0.1:9/x')], 'memory.stored', circular)).not.toThrow();
    expect(d.log()[0].error).toMatch(/cannot be serialised/);
  });

  it('never writes the secret or URL credentials into the log', async () => {
    const r = await receiver(() => 500);
    const d = dispatcher({ backoffBaseMs: 5, maxAttempts: 2 });
    const withCredentials = r.url.replace('http://', 'http://user:pa55word@');
    d.emit([sub(withCredentials)], 'memory.updated', { memoryId: 'm' });
    await d.sendTest(sub(r.url));
    expect(await until(() => d.log().length === 3)).toBe(true);
    const text = JSON.stringify(d.log());
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('pa55word');
    expect(d.log().every((a) => /^sha256=[0-9a-f]{64}$/.test(a.signature))).toBe(true);
  });
});
