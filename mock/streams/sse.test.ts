// Stream tests over a real loopback connection: a tiny node:http server calls writeQueryStream and
// the client reads incrementally with eventsource-parser (read-event-stream.ts). Checks order, JSON,
// the StreamEvent schema, arithmetic, the error variant, pacing, keep-alives, and that a client
// going away leaves no active stream, timer or listener. Backpressure: sse-backpressure.test.ts.
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkStreamSequence } from './check-sequence.ts';
import { readEventStream } from './read-event-stream.ts';
import { activeStreamCount, writeQueryStream, type StreamOptions, type StreamPlan } from './sse.ts';
import { options, plan, TEXT, until } from './test-plans.ts';
import { contractSchema } from './contract-schemas.ts';
import { splitIntoTokens } from './tokens.ts';

/** What the next request to the test server will stream, and the server-side response it used. */
let nextStream: { plan: StreamPlan; opts: StreamOptions } = { plan: plan(), opts: options() };
let lastRes: ServerResponse | undefined;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    lastRes = res;
    req.resume();
    req.on('end', () => writeQueryStream(req, res, nextStream.plan, nextStream.opts));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('writeQueryStream', () => {
  const schema = { check: contractSchema('StreamEvent') };

  it('sends start, token-sized deltas and done, with the D8 headers, valid against StreamEvent', async () => {
    nextStream = { plan: plan(), opts: options() };
    const read = await readEventStream(url, { body: '{}' });
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('text/event-stream');
    expect(read.headers['cache-control']).toBe('no-cache');
    expect(read.headers['x-request-id']).toBe('req_T3stR3qu3st0001');
    expect(read.headers['x-ratelimit-limit']).toBe('60');
    expect(read.headers['x-accel-buffering']).toBe('no');
    expect(read.parseErrors).toEqual([]);

    const seq = checkStreamSequence(read.events.map((e) => e.data), TEXT);
    expect(seq.problems).toEqual([]);
    expect(seq.terminal).toBe('done');
    expect(seq.text).toBe(TEXT);
    for (const event of seq.events) expect(schema.check(event), JSON.stringify(event)).toEqual([]);

    expect(seq.events[0]).toEqual({ type: 'start', id: 'query_Wd2hJ7nP4sKq9Lxv', model: 'gpt-4', createdAt: '2026-02-14T09:35:03Z' });
    const deltas = seq.events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBe(splitIntoTokens(TEXT).length);
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.every((d) => String(d.content).length <= 17)).toBe(true);
    const done = seq.events[seq.events.length - 1] as { finishReason: string; usage: Record<string, number> };
    expect(done.finishReason).toBe('stop');
    expect(done.usage.totalTokens).toBe(done.usage.promptTokens + done.usage.completionTokens);
  });

  it('repairs a plan whose totalTokens does not add up (the wire always obeys the arithmetic)', async () => {
    const p = plan('short answer');
    p.usage = { promptTokens: 7, completionTokens: 2, totalTokens: 1000 };
    nextStream = { plan: p, opts: options() };
    const seq = checkStreamSequence((await readEventStream(url, { body: '{}' })).events.map((e) => e.data), 'short answer');
    expect(seq.problems).toEqual([]);
    expect(seq.events[seq.events.length - 1].usage).toEqual({ promptTokens: 7, completionTokens: 2, totalTokens: 9 });
  });

  it('an empty completion is start then done', async () => {
    nextStream = { plan: plan(''), opts: options() };
    const seq = checkStreamSequence((await readEventStream(url, { body: '{}' })).events.map((e) => e.data), '');
    expect(seq.problems).toEqual([]);
    expect(seq.events.map((e) => e.type)).toEqual(['start', 'done']);
  });

  it.each([0, 3])('failAfterDeltas=%i ends with one error event carrying the request id', async (n) => {
    nextStream = { plan: plan(), opts: options({ failAfterDeltas: n }) };
    const read = await readEventStream(url, { body: '{}' });
    const seq = checkStreamSequence(read.events.map((e) => e.data));
    expect(seq.problems).toEqual([]);
    expect(seq.terminal).toBe('error');
    expect(seq.events.map((e) => e.type)).toEqual(['start', ...Array<string>(n).fill('delta'), 'error']);
    expect(seq.text).toBe(splitIntoTokens(TEXT).slice(0, n).join(''));
    const error = seq.events[seq.events.length - 1].error as Record<string, string>;
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.requestId).toBe(read.headers['x-request-id']);
    for (const event of seq.events) expect(schema.check(event)).toEqual([]);
  });

  it('the schema check itself rejects events that break the contract', () => {
    expect(schema.check({ type: 'delta' })).not.toEqual([]);
    expect(schema.check({ type: 'start', id: 'abc' })).not.toEqual([]);
    expect(schema.check({ type: 'done', usage: { totalTokens: -1 } })).not.toEqual([]);
    expect(schema.check({ type: 'done', usage: { totalTokens: 3 }, extra: 1 })).not.toEqual([]);
  });
});

describe('pacing', () => {
  it('events arrive one by one: the first before the server has ended the response', async () => {
    const text = 'one two three four five six seven eight';
    nextStream = { plan: plan(text), opts: options({ deltaDelayMs: 25 }) };
    let endedWhenFirstArrived: boolean | undefined;
    const read = await readEventStream(url, {
      body: '{}',
      onEvent: () => {
        endedWhenFirstArrived ??= lastRes?.writableEnded;
      },
    });
    expect(endedWhenFirstArrived).toBe(false);
    const first = read.events[0].atMs;
    const last = read.events[read.events.length - 1].atMs;
    // 8 deltas plus done, 25 ms apart: at least ~8 pauses between first and last event.
    expect(last - first).toBeGreaterThan(8 * 25 * 0.8);
    expect(first).toBeLessThan(read.endedMs - 100);
    expect(checkStreamSequence(read.events.map((e) => e.data), text).problems).toEqual([]);
  });

  it('sends keep-alive comments on a long stream, which the parser ignores', async () => {
    const text = 'a b c d e f g h';
    nextStream = { plan: plan(text), opts: options({ deltaDelayMs: 30, keepAliveMs: 40 }) };
    const read = await readEventStream(url, { body: '{}' });
    expect(read.comments.length).toBeGreaterThanOrEqual(2);
    expect(new Set(read.comments.map((c) => c.trim()))).toEqual(new Set(['keep-alive']));
    expect(checkStreamSequence(read.events.map((e) => e.data), text).problems).toEqual([]);
  });

});

describe('a client that goes away', () => {
  it('stops generation and leaves no active stream, timer or listener', async () => {
    // 10 s pacing and keep-alive: after the start event, a step timer and an interval are pending.
    nextStream = { plan: plan(), opts: options({ deltaDelayMs: 10_000, keepAliveMs: 10_000 }) };
    const created = [vi.spyOn(globalThis, 'setTimeout'), vi.spyOn(globalThis, 'setInterval')];
    const cleared = [vi.spyOn(globalThis, 'clearTimeout'), vi.spyOn(globalThis, 'clearInterval')];
    try {
      let res: ServerResponse | undefined;
      let listenersBefore: number[] = [];
      const read = await readEventStream(url, {
        body: '{}',
        disconnectAfterEvents: 1,
        onEvent: () => {
          res = lastRes;
          expect(activeStreamCount()).toBe(1);
        },
      });
      expect(read.disconnected).toBe(true);
      expect(read.events.map((e) => JSON.parse(e.data).type)).toEqual(['start']);
      expect(await until(() => activeStreamCount() === 0)).toBe(true);

      const ours = created.flatMap((spy) => spy.mock.calls.map((call, i) => ({ delay: call[1], handle: spy.mock.results[i].value as unknown })))
        .filter((t) => t.delay === 10_000);
      expect(ours.length).toBe(2);
      const clearedHandles = new Set(cleared.flatMap((spy) => spy.mock.calls.map((call) => call[0] as unknown)));
      expect(ours.every((t) => clearedHandles.has(t.handle))).toBe(true);
      // A cleared Node timer is marked destroyed: none of ours is pending any more.
      expect(ours.every((t) => (t.handle as { _destroyed?: boolean })._destroyed === true)).toBe(true);
      listenersBefore = ['drain', 'error'].map((n) => res?.listenerCount(n) ?? -1);
      expect(listenersBefore).toEqual([0, 0]);
      expect(res?.writableEnded).toBe(false);
    } finally {
      for (const spy of [...created, ...cleared]) spy.mockRestore();
    }
  });

  it('a client gone before the stream starts leaves nothing running', async () => {
    const early = http.createServer((req, res) => {
      req.resume();
      res.on('close', () => {
        writeQueryStream(req, res, plan(), options({ deltaDelayMs: 10_000, keepAliveMs: 10_000 }));
        closedAndCalled = true;
      });
    });
    let closedAndCalled = false;
    await new Promise<void>((resolve) => early.listen(0, '127.0.0.1', resolve));
    try {
      const req = http.request(`http://127.0.0.1:${(early.address() as AddressInfo).port}/`, { method: 'POST', agent: false });
      req.on('error', () => undefined);
      req.write('{');
      await new Promise((r) => setTimeout(r, 50));
      req.destroy();
      expect(await until(() => closedAndCalled)).toBe(true);
      expect(activeStreamCount()).toBe(0);
    } finally {
      early.closeAllConnections();
      await new Promise<void>((resolve) => early.close(() => resolve()));
    }
  });

  it('many clients leaving mid-stream at once leave nothing behind', async () => {
    nextStream = { plan: plan(), opts: options({ deltaDelayMs: 5, keepAliveMs: 10 }) };
    const reads = await Promise.all(Array.from({ length: 20 }, (_, i) => readEventStream(url, { body: '{}', disconnectAfterEvents: 2 + (i % 5) })));
    expect(reads.every((r) => r.disconnected)).toBe(true);
    expect(await until(() => activeStreamCount() === 0)).toBe(true);
  });
});
