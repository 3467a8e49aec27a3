// A receiver written from the docs alone verifies the mock's deliveries: the docs' own Node
// snippet (scripts/docs/verify-webhook.example.mjs, held equal to the text in overview.md by
// verify-webhook.test.ts) serves as the webhook endpoint of a real mock on loopback, and must
// accept the test event and every memory event the mock sends, and refuse one signed with
// another secret.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../mock/server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECRET = 'whsec_docsReceiverTest0123456789abcd';
const KEY = { authorization: 'Bearer cc_test_demo_pro', 'content-type': 'application/json' };

interface Snippet {
  createWebhookHandler(o: { secret: string; onEvent: (e: unknown) => void }): http.RequestListener;
}

describe('a receiver built from the docs verifies the mock\'s deliveries', () => {
  let mock: RunningMock;
  let receiver: http.Server;
  let url: string;
  const accepted: { id: string; type: string }[] = [];

  beforeAll(async () => {
    const snippet = (await import(pathToFileURL(path.join(here, 'verify-webhook.example.mjs')).href)) as Snippet;
    receiver = http.createServer(snippet.createWebhookHandler({ secret: SECRET, onEvent: (e) => accepted.push(e as { id: string; type: string }) }));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    mock = await startMock({ port: 0, quiet: true, config: { webhooks: { backoffBaseMs: 20, maxAttempts: 2, timeoutMs: 2_000 } } });
  });

  afterAll(async () => {
    await mock?.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
  });

  async function api(method: string, p: string, body?: unknown) {
    const res = await fetch(`${mock.baseUrl}${p}`, { method, headers: KEY, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (res.status === 204 ? undefined : await res.json()) as Record<string, any> };
  }

  async function until(pred: () => boolean, ms = 5_000) {
    const end = Date.now() + ms;
    while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return pred();
  }

  it('accepts the test event and the memory events, each once', async () => {
    const hook = await api('POST', '/webhooks', { url, events: ['memory.stored', 'memory.updated', 'memory.deleted'], secret: SECRET });
    expect(hook.status).toBe(201);
    const test = await api('POST', `/webhooks/${hook.json.id}/test`);
    expect(test.json).toMatchObject({ delivered: true, responseStatus: 200 });
    expect(accepted.map((e) => e.id)).toContain(test.json.eventId);

    expect((await api('POST', '/memory/store', { id: 'docs-receiver', content: 'verified from the docs' })).status).toBe(201);
    expect((await api('PUT', '/memory/docs-receiver', { importance: 'high' })).status).toBe(200);
    expect((await api('DELETE', '/memory/docs-receiver')).status).toBe(200);
    expect(await until(() => accepted.length >= 4)).toBe(true);
    expect(accepted.map((e) => e.type)).toEqual(['webhook.test', 'memory.stored', 'memory.updated', 'memory.deleted']);
    expect(new Set(accepted.map((e) => e.id)).size).toBe(accepted.length);
  });

  it('refuses a delivery signed with another secret', async () => {
    const hook = await api('POST', '/webhooks', { url, events: ['memory.stored'], secret: 'whsec_notTheReceiversSecret012345678' });
    const before = accepted.length;
    const test = await api('POST', `/webhooks/${hook.json.id}/test`);
    expect(test.json).toMatchObject({ delivered: false, responseStatus: 401 });
    expect(accepted.length).toBe(before);
  });
});
