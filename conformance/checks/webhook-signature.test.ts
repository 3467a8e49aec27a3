// webhook-signature tests: a valid delivery plus one change per row (each must be named), the
// receiver plan for local and remote targets, the local receiver over real HTTP, then the check
// run by the runner against the mock (passes) and, through the mutating proxy, against a mock
// whose testWebhook answer names another event (caught).
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mock/server.ts';
import { DEMO_KEYS, resolveConfig } from '../config.ts';
import { runConformance } from '../runner.ts';
import { SpecIndex } from '../spec.ts';
import { startReceiver, parseListen, type Delivery } from '../receiver/local-receiver.ts';
import { signBody } from '../receiver/signature.ts';
import { startProxy } from '../mutations/proxy.ts';
import { jsonOf, withJson } from '../mutations/edit.ts';
import { judgeDelivery, receiverPlan } from './webhook-signature.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const specFile = path.join(root, 'generated', 'openapi.json');
const spec = SpecIndex.load(specFile);
const vectors = JSON.parse(readFileSync(path.resolve(root, 'openapi', 'vectors', 'webhook-signatures.json'), 'utf8'));
const vector = vectors.valid.find((v: { name: string }) => v.name === 'memory-stored-event');
const SECRET: string = vector.secret;

function delivery(over: { body?: string; headers?: Record<string, string | undefined>; method?: string; receivedAt?: number } = {}): Delivery {
  const body = over.body ?? vector.body;
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'x-chaozcode-signature': signBody(SECRET, body),
    'x-chaozcode-event': 'memory.stored',
    'x-chaozcode-delivery': 'evt_3kTq9ZmW1xYb',
    ...over.headers,
  };
  return {
    seq: 1, method: over.method ?? 'POST', path: '/hook', raw: Buffer.from(body, 'utf8'), tooLarge: false,
    headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>,
    receivedAt: over.receivedAt ?? Date.parse('2026-01-30T12:00:03Z'),
  };
}

const want = { secret: SECRET, type: 'memory.stored', spec, clockSkewMs: 60_000 };
const event = JSON.parse(vector.body);
const resigned = (value: unknown) => { const body = JSON.stringify(value); return { body, headers: { 'x-chaozcode-signature': signBody(SECRET, body) } }; };

const rows: { name: string; given: Delivery; want: RegExp[]; type?: string }[] = [
  { name: 'the signed vector', given: delivery(), want: [] },
  { name: 'signed with another secret', given: delivery({ headers: { 'x-chaozcode-signature': signBody('whsec_other_secret_000', vector.body) } }), want: [/does not match the HMAC-SHA256/] },
  { name: 'signature over re-serialised JSON', given: delivery({ headers: { 'x-chaozcode-signature': signBody(SECRET, JSON.stringify(event, null, 2)) } }), want: [/does not match the HMAC-SHA256/] },
  { name: 'no signature header', given: delivery({ headers: { 'x-chaozcode-signature': undefined } }), want: [/no X-ChaozCode-Signature header/] },
  { name: 'uppercase hex', given: delivery({ headers: { 'x-chaozcode-signature': signBody(SECRET, vector.body).toUpperCase().replace('SHA256', 'sha256') } }), want: [/not "sha256=" \+ 64 lowercase hex/] },
  { name: 'sha1 prefix', given: delivery({ headers: { 'x-chaozcode-signature': signBody(SECRET, vector.body).replace('sha256', 'sha1') } }), want: [/not "sha256=" \+ 64 lowercase hex/] },
  { name: 'event header differs', given: delivery({ headers: { 'x-chaozcode-event': 'memory.updated' } }), want: [/X-ChaozCode-Event differs/] },
  { name: 'delivery header differs', given: delivery({ headers: { 'x-chaozcode-delivery': 'evt_other' } }), want: [/X-ChaozCode-Delivery differs/] },
  { name: 'text/plain', given: delivery({ headers: { 'content-type': 'text/plain' } }), want: [/Content-Type is not application\/json/] },
  { name: 'sent with PUT', given: delivery({ method: 'PUT' }), want: [/used PUT, not POST/] },
  { name: 'body not JSON', given: delivery({ ...resigned(''), body: 'ok', headers: { 'x-chaozcode-signature': signBody(SECRET, 'ok') } }), want: [/body is not JSON/] },
  { name: 'payload breaks its schema', given: delivery(resigned({ ...event, data: { ...event.data, importance: 'urgent' } })), want: [/does not match its schema/] },
  { name: 'another event type than expected', given: delivery(), type: 'webhook.test', want: [/type is "memory.stored", not webhook.test/, /does not match its schema/] },
  { name: 'createdAt ten minutes before arrival', given: delivery({ receivedAt: Date.parse('2026-01-30T12:10:00Z') }), want: [/createdAt is 600 s from the delivery's arrival/] },
  { name: 'createdAt in the future', given: delivery({ receivedAt: Date.parse('2026-01-30T11:55:00Z') }), want: [/createdAt is -300 s/] },
];

describe('judgeDelivery', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_n, r) => {
    const messages = judgeDelivery(r.given, { ...want, type: r.type ?? want.type }).map((p) => p.message);
    expect(messages).toHaveLength(r.want.length);
    r.want.forEach((re, i) => expect(messages[i]).toMatch(re));
  });
});

describe('receiverPlan', () => {
  const config = (baseUrl: string, webhook = {}) => resolveConfig({ baseUrl, spec: specFile, webhook });
  it('listens on loopback for a loopback target', () => {
    expect(receiverPlan(config('http://127.0.0.1:4010/v2'))).toEqual({ listen: '127.0.0.1' });
    expect(receiverPlan(config('http://localhost:4010/v2'))).toEqual({ listen: '127.0.0.1' });
  });
  it('skips a remote target without a public URL, saying how to run it', () => {
    expect(receiverPlan(config('https://api.chaozcode.com/v2'))).toEqual({ skip: expect.stringMatching(/--webhook-public-url/) });
  });
  it('uses the public URL and its path when given', () => {
    expect(receiverPlan(config('https://api.chaozcode.com/v2', { receiverHost: '0.0.0.0:8080', publicUrl: 'https://tunnel.example/hooks/cc' })))
      .toEqual({ listen: '0.0.0.0:8080', path: '/hooks/cc', publicUrl: 'https://tunnel.example/hooks/cc' });
  });
  it.each(['127.0.0.1', '127.0.0.1:0', '[::1]:8080', 'localhost:9000'])('parses the listen address %s', (v) => {
    expect(() => parseListen(v)).not.toThrow();
  });
  it.each(['', '127.0.0.1:99999', 'a:b:c'])('refuses the listen address %j', (v) => {
    expect(() => parseListen(v)).toThrow(/invalid listen address/);
  });
});

describe('the local receiver', () => {
  it('records the raw bytes as sent, answers 200, and wakes a waiter', async () => {
    const rx = await startReceiver();
    try {
      const waiting = rx.waitFor((d) => d.headers['x-chaozcode-delivery'] === 'evt_unicode01', 2_000);
      const body = vectors.valid.find((v: { name: string }) => v.name === 'non-ascii-body').body as string;
      const res = await request(rx.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-chaozcode-delivery': 'evt_unicode01' }, body: [Buffer.from(body.slice(0, 50)), Buffer.from(body.slice(50))] as any });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      const d = await waiting;
      expect(d?.raw.equals(Buffer.from(body, 'utf8'))).toBe(true);
      expect(await rx.waitFor(() => false, 50)).toBeUndefined();
      const other = await request(rx.url.replace(/hook-[a-z0-9]+$/, 'elsewhere'), { method: 'POST', body: '{}' });
      expect(other.statusCode).toBe(404);
      await other.body.dump();
      expect(rx.deliveries()).toHaveLength(1);
    } finally {
      await rx.close();
    }
  });

  it('refuses and flags a body over its cap', async () => {
    const rx = await startReceiver({ maxBytes: 1024 });
    try {
      const res = await request(rx.url, { method: 'POST', body: 'x'.repeat(4096) }).catch((e) => ({ statusCode: 0, body: { dump: async () => {} }, e }));
      expect([413, 0]).toContain(res.statusCode);
      await res.body.dump();
      const d = await rx.waitFor(() => true, 1_000);
      expect(d?.tooLarge).toBe(true);
    } finally {
      await rx.close();
    }
  });
});

describe('webhook-signature run by the runner', () => {
  async function run(mutate?: Parameters<typeof startProxy>[0]['mutation']) {
    const mock = await startMock({ port: 0, quiet: true });
    const proxy = mutate ? await startProxy({ upstream: mock.url, mutation: mutate, keys: { full: '', readonly: '', restricted: '', exhaust: '', spare: '' } }) : undefined;
    try {
      const config = resolveConfig({ baseUrl: `${proxy?.url ?? mock.url}/v2`, spec: specFile, keys: { full: DEMO_KEYS.full }, only: ['webhook-signature'] });
      const { report } = await runConformance({ config });
      return { check: report.checks.find((c) => c.id === 'webhook-signature')!, findings: report.findings };
    } finally {
      await proxy?.close();
      await mock.close();
    }
  }

  it('passes against the mock: the test event and a real memory.stored event', async () => {
    const { check, findings } = await run();
    expect(findings).toEqual([]);
    expect(check.cases.map((c) => `${c.operation}:${c.status}`).sort()).toEqual(['memory.stored:passed', 'webhook.test:passed']);
  }, 30_000);

  it('reports a create answer with another secret, and never prints the secret it sent', async () => {
    const { check, findings } = await run({
      name: 'other-secret', check: 'webhook-signature', description: 'createWebhook answers another secret',
      response: (res, req) => (req.method === 'POST' && /\/v2\/webhooks$/.test(req.path) && res.status === 201 ? withJson(res, { ...(jsonOf(res) as object), secret: 'whsec_NotTheOneSent000000000000000' }) : undefined),
    });
    expect(check.status).toBe('failed');
    const text = JSON.stringify(findings);
    expect(text).toMatch(/createWebhook answered with another secret than the one sent/);
    expect(text).toMatch(/"secret\\":\\"whsec_[A-Za-z0-9]{2}…/);
    expect(text).not.toMatch(/whsec_[A-Za-z0-9]{32}/);
  }, 30_000);

  it('reports a testWebhook answer that names another event than the one delivered', async () => {
    const { check, findings } = await run({
      name: 'other-event-id', check: 'webhook-signature', description: 'testWebhook answers another eventId',
      response: (res, req) => (/\/webhooks\/[^/]+\/test$/.test(req.path) && res.status === 200 ? withJson(res, { ...(jsonOf(res) as object), eventId: 'evt_SomeOtherEvent1' }) : undefined),
    });
    expect(check.status).toBe('failed');
    expect(findings.map((f) => f.message).join('\n')).toMatch(/testWebhook's eventId is not the id of the event delivered/);
  }, 30_000);
});
