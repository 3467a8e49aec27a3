// End-to-end stream tests through the real mock (startMock on an ephemeral loopback port): streams
// on both operations read incrementally, refusals as JSON envelopes, the `Prefer: stream-fail-after`
// variant, a client leaving mid-stream, and `curl -N` watching events arrive one by one.
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../server.ts';
import { checkStreamSequence } from './check-sequence.ts';
import { contractSchema } from './contract-schemas.ts';
import { readEventStream } from './read-event-stream.ts';
import { activeStreamCount } from './sse.ts';

const DELAY_MS = 8;
const PRO = 'cc_test_demo_pro';
const streamEvent = contractSchema('StreamEvent');
const errorResponse = contractSchema('ErrorResponse');
let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({ port: 0, quiet: true, config: { stream: { deltaDelayMs: DELAY_MS, keepAliveMs: 15_000 } } });
});

afterAll(async () => {
  await mock?.close();
});

const json = (key?: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  ...(key ? { authorization: `Bearer ${key}` } : {}),
  ...extra,
});

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

describe('streams through the mock', () => {
  it.each([
    ['POST /query/stream', '/query/stream', { prompt: 'Explain the difference between REST and GraphQL', model: 'gpt-4' }],
    ['POST /query with stream: true', '/query', { prompt: 'Explain the difference between REST and GraphQL', stream: true }],
  ])('%s streams start, deltas and done, one by one', async (_name, path, body) => {
    const read = await readEventStream(`${mock.baseUrl}${path}`, { headers: json(PRO), body: JSON.stringify(body) });
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(read.headers['cache-control']).toBe('no-cache');
    expect(read.headers['x-request-id']).toMatch(/^req_[A-Za-z0-9]+$/);
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-retryafter']) expect(read.headers[h]).toMatch(/^\d+$/);

    const seq = checkStreamSequence(read.events.map((e) => e.data));
    expect(seq.problems).toEqual([]);
    expect(seq.terminal).toBe('done');
    for (const event of seq.events) expect(streamEvent(event), JSON.stringify(event)).toEqual([]);
    const deltas = seq.events.length - 2;
    expect(deltas).toBeGreaterThan(3);
    expect(seq.text.length).toBeGreaterThan(20);
    const done = seq.events[seq.events.length - 1] as { usage: { promptTokens: number; completionTokens: number; totalTokens: number } };
    expect(done.usage.totalTokens).toBe(done.usage.promptTokens + done.usage.completionTokens);

    // Incremental: the events are spread over the deltas' pacing, not one buffered body.
    const first = read.events[0].atMs;
    const last = read.events[read.events.length - 1].atMs;
    expect(last - first).toBeGreaterThan(deltas * DELAY_MS * 0.6);
    expect(first).toBeLessThan(read.endedMs - deltas * DELAY_MS * 0.6);
  });

  it('the same prompt streams the same text as the JSON answer gives', async () => {
    const body = { prompt: 'Write a haiku about type-safe APIs', model: 'gemini-pro' };
    const res = await request(`${mock.baseUrl}/query`, { method: 'POST', headers: json(PRO), body: JSON.stringify(body) });
    const answer = (await res.body.json()) as { text: string; usage: { completionTokens: number } };
    const read = await readEventStream(`${mock.baseUrl}/query/stream`, { headers: json(PRO), body: JSON.stringify(body) });
    const seq = checkStreamSequence(read.events.map((e) => e.data), answer.text);
    expect(seq.problems).toEqual([]);
  });

  it.each([
    ['no key', undefined, { prompt: 'x' }, 401, 'UNAUTHORIZED'],
    ['an unknown key', 'cc_test_nobody_at_all', { prompt: 'x' }, 401, 'UNAUTHORIZED'],
    ['a readonly key', 'cc_test_demo_readonly', { prompt: 'x' }, 403, 'FORBIDDEN'],
    ['a missing prompt', PRO, {}, 400, 'INVALID_REQUEST'],
    ['an unknown model', PRO, { prompt: 'x', model: 'gpt-5' }, 422, 'VALIDATION_ERROR'],
  ])('a stream refused for %s is a JSON envelope, not a stream', async (_name, key, body, status, code) => {
    const read = await readEventStream(`${mock.baseUrl}/query/stream`, { headers: json(key), body: JSON.stringify(body) });
    expect(read.status).toBe(status);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.events).toEqual([]);
    const envelope = JSON.parse(read.body ?? '') as { error: { code: string; requestId: string } };
    expect(errorResponse(envelope)).toEqual([]);
    expect(envelope.error.code).toBe(code);
    expect(envelope.error.requestId).toBe(read.headers['x-request-id']);
    if (status === 401) expect(read.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('Prefer: stream-fail-after=2 ends with one error event carrying the request id', async () => {
    const read = await readEventStream(`${mock.baseUrl}/query/stream`, {
      headers: json(PRO, { prefer: 'stream-fail-after=2' }),
      body: JSON.stringify({ prompt: 'Explain the difference between REST and GraphQL' }),
    });
    const seq = checkStreamSequence(read.events.map((e) => e.data));
    expect(seq.problems).toEqual([]);
    expect(seq.events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'error']);
    for (const event of seq.events) expect(streamEvent(event)).toEqual([]);
    expect((seq.events[3].error as { requestId: string }).requestId).toBe(read.headers['x-request-id']);
  });

  it('a client leaving mid-stream leaves the mock with no active stream', async () => {
    const reads = await Promise.all(
      Array.from({ length: 5 }, () =>
        readEventStream(`${mock.baseUrl}/query/stream`, { headers: json(PRO), body: JSON.stringify({ prompt: 'Explain REST' }), disconnectAfterEvents: 2 }),
      ),
    );
    expect(reads.every((r) => r.disconnected && r.events.length >= 2)).toBe(true);
    expect(await until(() => activeStreamCount() === 0)).toBe(true);
    // The mock still answers afterwards.
    const health = await request(`${mock.baseUrl}/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  const hasCurl = spawnSync('curl', ['--version']).status === 0;
  it.runIf(hasCurl)('curl -N shows the events as they are made', async () => {
    const chunks: number[] = [];
    let out = '';
    const started = performance.now();
    const curl = spawn('curl', ['-sN', '-X', 'POST', `${mock.baseUrl}/query/stream`, '-H', `Authorization: Bearer ${PRO}`, '-H', 'Content-Type: application/json', '-d', '{"prompt":"Explain the difference between REST and GraphQL"}']);
    curl.stdout.setEncoding('utf8');
    curl.stdout.on('data', (c: string) => {
      chunks.push(performance.now() - started);
      out += c;
    });
    const code = await new Promise<number | null>((resolve) => curl.on('close', resolve));
    expect(code).toBe(0);
    expect(out.startsWith('data: {"type":"start"')).toBe(true);
    expect(out.trimEnd().split('\n\n').pop()).toMatch(/^data: \{"type":"done"/);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[chunks.length - 1] - chunks[0]).toBeGreaterThan(3 * DELAY_MS);
  });
});
