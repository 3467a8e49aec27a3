// ExchangeSender.openStream over real loopback servers: a stream longer than the per-request
// timeout is read to its end as long as chunks keep coming (the idle timer restarts on every
// chunk); a stream cut at its time cap says `max-ms`, not a broken connection; a stream that
// stalls is cut by the idle timer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from './http.ts';
import { Recorder } from './recorder.ts';
import { SecretRing } from './redact.ts';
import { ExchangeSender } from './sender.ts';
import { testConfig, tinySpec } from './testing.ts';

type Mode = { every: number; count: number } | 'stall';

const servers: Server[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function streamingServer(mode: Mode): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_sender1' });
    res.write('data: {"n":0}\n\n');
    if (mode === 'stall') return;
    let n = 1;
    const t = setInterval(() => {
      if (mode.count > 0 && n >= mode.count) { clearInterval(t); res.end(); return; }
      res.write(`data: {"n":${n++}}\n\n`);
    }, mode.every);
    res.on('close', () => clearInterval(t));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function sender(baseUrl: string, timeoutMs: number) {
  const config = testConfig({ baseUrl, timeoutMs });
  const signal = new AbortController().signal;
  const http = new HttpClient({ timeoutMs, maxBodyBytes: 1024 * 1024, concurrency: 2, deadlineMs: 10_000, signal });
  clients.push(http);
  const recorder = new Recorder(() => 'error', new SecretRing());
  return new ExchangeSender({ spec: tinySpec(), config, http, recorder, passive: [], signal });
}

async function readAll(baseUrl: string, timeoutMs: number, maxMs: number) {
  const s = sender(baseUrl, timeoutMs);
  const t0 = Date.now();
  const handle = await s.openStream('test', { method: 'POST', path: '/things', json: { name: 'x' } }, { maxMs });
  let text = '';
  for await (const chunk of handle.chunks) text += chunk.toString('utf8');
  return { events: text.match(/data: /g)?.length ?? 0, reason: handle.stopReason(), ms: Date.now() - t0 };
}

describe('openStream', () => {
  it('reads a stream longer than the timeout to its end while chunks keep coming', async () => {
    const base = await streamingServer({ every: 50, count: 30 });
    const r = await readAll(base, 500, 5_000);
    expect(r.events).toBe(30);
    expect(r.reason).toBeUndefined();
    expect(r.ms).toBeGreaterThan(1_000); // longer than the 500 ms timeout, twice over
  });

  it('cuts an endless stream at its time cap and says max-ms', async () => {
    const base = await streamingServer({ every: 20, count: 0 });
    const r = await readAll(base, 500, 700);
    expect(r.reason).toBe('max-ms');
    expect(r.events).toBeGreaterThan(10);
    expect(r.ms).toBeLessThan(3_000);
  });

  it('cuts a stream that stalls for longer than the timeout (idle timer), not as max-ms', async () => {
    const base = await streamingServer('stall');
    const r = await readAll(base, 300, 5_000);
    expect(r.events).toBe(1);
    expect(r.reason).toBe('error');
    expect(r.ms).toBeLessThan(2_000);
  });
});

describe('send after a 429', () => {
  it('waits a Retry-After given as an HTTP date (RFC 9110 10.2.3), not a default second', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      req.resume();
      if (++calls === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': new Date(Date.now() + 3_000).toUTCString() });
        return res.end('{}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const s = sender(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, 500);
    const t0 = Date.now();
    const ex = await s.send('test', { method: 'GET', path: '/things/stats' });
    expect(ex.retried).toBe(true);
    expect(ex.response?.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_900);
  });
});
