// sse-stream tests: a table of small event sequences judged against D8 (given events, want the
// problems named), then the check itself run by the runner against real servers on loopback:
// the mock (passes) and small hand-written SSE servers that break one rule each (caught).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { startMock } from '../../mock/server.ts';
import { DEMO_KEYS, resolveConfig } from '../config.ts';
import { runConformance } from '../runner.ts';
import { fileURLToPath } from 'node:url';
import { SpecIndex } from '../spec.ts';
import { judgeEvents, type StreamObservation } from './sse-stream.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const spec = SpecIndex.load(path.join(root, 'generated', 'openapi.json'));
const streamEvent = spec.registry.component('StreamEvent');
const validate = (v: unknown) => spec.registry.validate(streamEvent, v);

const start = { type: 'start', id: 'query_abc123', model: 'gpt-4', createdAt: '2026-02-14T09:30:12Z' };
const delta = (content: string) => ({ type: 'delta', content });
const done = { type: 'done', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 } };
const failed = { type: 'error', error: { code: 'SERVICE_UNAVAILABLE', message: 'backend gone', requestId: 'req_abc123' } };

function obs(events: unknown[], extra: Partial<StreamObservation> = {}): StreamObservation {
  return { events: events.map((e) => ({ data: typeof e === 'string' ? e : JSON.stringify(e) })), end: 'closed', parseErrors: [], requestId: 'req_abc123', maxMs: 1000, ...extra };
}

const rows: { name: string; given: StreamObservation; want: RegExp[] }[] = [
  { name: 'a conforming stream', given: obs([start, delta('Hi '), delta('there'), done]), want: [] },
  { name: 'the reference\'s minimal stream', given: obs([{ type: 'start', id: 'query_abc123' }, delta('REST'), { type: 'done', usage: { totalTokens: 502 } }]), want: [] },
  { name: 'an error terminal after a delta', given: obs([start, delta('x'), failed]), want: [] },
  { name: 'an error terminal without deltas', given: obs([start, failed]), want: [] },
  { name: 'no events', given: obs([]), want: [/no event at all/] },
  { name: 'no done, server closed', given: obs([start, delta('x')]), want: [/no terminal event.*closed the stream/] },
  { name: 'no done, time cap', given: obs([start, delta('x')], { end: 'max-ms' }), want: [/within 1000 ms/] },
  { name: 'delta before start', given: obs([delta('x'), start, done]), want: [/first event is "delta"/] },
  { name: 'start twice', given: obs([start, start, delta('x'), done]), want: [/"start" was sent 2 times/] },
  { name: 'two terminals', given: obs([start, delta('x'), done, done]), want: [/2 terminal events/, /after the terminal/] },
  { name: 'an event after done', given: obs([start, delta('x'), done, delta('y')]), want: [/1 event\(s\) after the terminal "done"/] },
  { name: 'open after done', given: obs([start, delta('x'), done], { end: 'open-after-terminal', openAfterTerminalMs: 2000 }), want: [/kept the stream open 2000 ms after the terminal event/] },
  { name: 'bad arithmetic', given: obs([start, delta('x'), { ...done, usage: { promptTokens: 3, completionTokens: 4, totalTokens: 8 } }]), want: [/totalTokens is not/] },
  { name: 'empty completion', given: obs([start, done]), want: [/deltas carry no text/] },
  { name: 'not JSON', given: obs([start, 'hello', done]), want: [/event 1 is not JSON/, /deltas carry no text/] },
  { name: 'schema break', given: obs([start, { type: 'delta', content: 5 }, delta('x'), done]), want: [/event 1 \("delta"\) does not match StreamEvent/] },
  { name: 'unknown type', given: obs([start, { type: 'progress' }, delta('x'), done]), want: [/event 1 \("progress"\) does not match/] },
  { name: 'error requestId differs', given: obs([start, failed], { requestId: 'req_other1' }), want: [/requestId differs/] },
  { name: 'an event: field', given: { ...obs([start, delta('x'), done]), events: [{ data: JSON.stringify(start), event: 'start' }, { data: JSON.stringify(delta('x')) }, { data: JSON.stringify(done) }] }, want: [/has an "event: start" field/] },
];

describe('judgeEvents', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_n, r) => {
    const messages = judgeEvents(r.given, validate).map((p) => p.message);
    expect(messages).toHaveLength(r.want.length);
    r.want.forEach((re, i) => expect(messages[i]).toMatch(re));
  });
});

// ---- The check run by the runner against real servers on loopback ----

type Behaviour = 'endless' | 'open-after-done' | 'done-at-the-cap' | 'refusal-as-stream' | 'no-cache-control' | 'no-request-id' | 'flood' | 'huge-event';

/** A tiny target: /health, and streams that misbehave in one way each. */
async function misbehavingTarget(behaviour: Behaviour): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const head = { 'x-request-id': `req_${Math.random().toString(36).slice(2, 12)}`, 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': '0', 'x-ratelimit-retryafter': '0' };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(Buffer.concat(chunks).toString('utf8')));
    const answer = (body: string) => {
    if (req.url === '/v2/health') return res.writeHead(200, { ...head, 'content-type': 'application/json' }).end('{"status":"ok"}');
    const ev = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
    const sse: Record<string, string> = { ...head, 'content-type': 'text/event-stream', 'cache-control': behaviour === 'no-cache-control' ? 'max-age=60' : 'no-cache' };
    if (!req.headers.authorization) {
      if (behaviour === 'refusal-as-stream') {
        res.writeHead(401, sse);
        ev({ type: 'error', error: { code: 'UNAUTHORIZED', message: 'no key', requestId: head['x-request-id'] } });
        return res.end();
      }
      return res.writeHead(401, { ...head, 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no key', requestId: head['x-request-id'] } }));
    }
    if (body.includes('conformanceUnknownProperty')) {
      return res.writeHead(422, { ...head, 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'VALIDATION_ERROR', message: 'unknown property', requestId: head['x-request-id'] } }));
    }
    if (behaviour === 'no-request-id') delete sse['x-request-id'];
    res.writeHead(200, sse);
    ev(start);
    if (behaviour === 'huge-event') { // one 3 MB event, more than the parser buffers
      res.write(`data: {"type":"delta","content":"${'x'.repeat(3 * 1024 * 1024)}"}\n\n`);
      ev(done);
      return res.end();
    }
    if (behaviour === 'flood') {
      res.write(`data: ${JSON.stringify(delta('x'))}\n\n`.repeat(6_000));
      return;
    }
    if (behaviour === 'endless') {
      const t = setInterval(() => ev(delta('more ')), 20);
      timers.add(t);
      res.on('close', () => clearInterval(t));
      return;
    }
    if (behaviour === 'done-at-the-cap') { // done 1 s in, and the connection left open
      const t = setTimeout(() => { ev(delta('Hello')); ev(done); }, 1_000);
      timers.add(t);
      return;
    }
    ev(delta('Hello'));
    ev(done);
    if (behaviour !== 'open-after-done') res.end();
    };
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`,
    close: () => new Promise((r) => { for (const t of timers) clearInterval(t); server.close(() => r()); server.closeAllConnections(); }),
  };
}

async function runSse(baseUrl: string, streamMaxMs = 1_200) {
  const config = resolveConfig({ baseUrl, spec: path.join(root, 'generated', 'openapi.json'), keys: { full: 'cc_test_conformance_full' }, only: ['sse-stream'], streamMaxMs, timeoutMs: 2_000 });
  const { report } = await runConformance({ config });
  return { check: report.checks.find((c) => c.id === 'sse-stream')!, findings: report.findings.filter((f) => f.checkId === 'sse-stream') };
}

describe('sse-stream run by the runner', () => {
  it('passes against the mock, reading both streaming operations and both refusals', async () => {
    const mock = await startMock({ port: 0, quiet: true, config: { stream: { deltaDelayMs: 1, keepAliveMs: 15_000 } } });
    try {
      const config = resolveConfig({ baseUrl: mock.baseUrl, spec: path.join(root, 'generated', 'openapi.json'), keys: { full: DEMO_KEYS.full }, only: ['sse-stream'] });
      const { report } = await runConformance({ config });
      const check = report.checks.find((c) => c.id === 'sse-stream')!;
      expect(report.findings).toEqual([]);
      expect(check.cases.map((c) => `${c.operation}:${c.status}`).sort()).toEqual(['createQuery:passed', 'streamQuery [invalid body]:passed', 'streamQuery [no key]:passed', 'streamQuery:passed']);
    } finally {
      await mock.close();
    }
  }, 30_000);

  it('cuts a stream that never ends at the time cap and reports it', async () => {
    const t = await misbehavingTarget('endless');
    const t0 = Date.now();
    try {
      const { check, findings } = await runSse(t.baseUrl, 600);
      expect(check.status).toBe('failed');
      expect(findings.map((f) => f.message).join('\n')).toMatch(/^no terminal event \("done" or "error"\): none arrived within 600 ms \(stream cut\)/);
      expect(Date.now() - t0).toBeLessThan(8_000);
    } finally {
      await t.close();
    }
  }, 20_000);

  it('does not blame the server for a stream its own time cap cut right after the terminal event', async () => {
    const t = await misbehavingTarget('done-at-the-cap');
    try {
      // The cap (1,200 ms, read until 1,100 ms) leaves about 100 ms after "done": too little to judge the close.
      const { findings } = await runSse(t.baseUrl, 1_200);
      expect(findings.map((f) => f.message).join('\n')).not.toMatch(/kept the stream open/);
    } finally {
      await t.close();
    }
  }, 20_000);

  it.each([
    ['open-after-done', /kept the stream open \d+ ms after the terminal event until it was cut/],
    ['refusal-as-stream', /refused before streaming \(401\) was answered as an event stream/],
    ['no-cache-control', /lacks Cache-Control: no-cache/],
    ['no-request-id', /stream head lacks a valid X-Request-Id/],
    ['flood', /none arrived within 5000 events \(stream cut\)/],
    ['huge-event', /the event stream does not parse: Buffered data exceeded max buffer size/],
  ] as const)('reports a target whose streams are %s', async (behaviour, message) => {
    const t = await misbehavingTarget(behaviour);
    try {
      const { check, findings } = await runSse(t.baseUrl);
      expect(check.status).toBe('failed');
      expect(findings.map((f) => f.message).join('\n')).toMatch(message);
      expect(findings.every((f) => f.curl?.startsWith('curl '))).toBe(true);
      expect(findings.map((f) => f.message).join('\n')).not.toMatch(/internal error/);
    } finally {
      await t.close();
    }
  }, 20_000);
});
