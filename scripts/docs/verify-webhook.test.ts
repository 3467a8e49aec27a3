// Tests the webhook verification snippet that the docs publish (openapi/descriptions/overview.md,
// between the verify-webhook-example markers): it must equal scripts/docs/verify-webhook.example.mjs
// and accept every valid known-answer vector of openapi/vectors/webhook-signatures.json, refuse
// every invalid one, refuse stale events, answer duplicates without processing them again, and
// do all of that over a real loopback HTTP server.
// Limits: constant-time comparison cannot be observed from a test; the text check below only
// makes sure the snippet compares with crypto.timingSafeEqual and never with ===.
import crypto from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const overviewFile = path.join(repoRoot, 'openapi', 'descriptions', 'overview.md');
const exampleFile = path.join(repoRoot, 'scripts', 'docs', 'verify-webhook.example.mjs');
const vectorsFile = path.resolve(repoRoot, 'openapi', 'vectors', 'webhook-signatures.json');
const BEGIN = '<!-- verify-webhook-example:begin -->';
const END = '<!-- verify-webhook-example:end -->';

interface Vector { name: string; secret: string; body: string; signature: string }
interface Delivery { status: number; reason: string; event?: { id: string; type: string } }
interface Snippet {
  verifySignature(rawBody: Buffer | string, header: unknown, secret: string): boolean;
  createDeduper(maxAgeMs?: number): (eventId: string, now: number) => boolean;
  checkDelivery(opts: {
    rawBody: Buffer; headers: Record<string, unknown>; secret: string;
    isFirstDelivery: (id: string, now: number) => boolean; now?: number;
  }): Delivery;
  createWebhookHandler(opts: { secret: string; onEvent: (event: unknown) => unknown; maxBodyBytes?: number }): http.RequestListener;
}

/** The code between the markers, without its ```js fence. */
function extractSnippet(markdown: string): string {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`overview.md lacks the ${BEGIN} ... ${END} markers`);
  const block = markdown.slice(start + BEGIN.length, end).trim();
  const fenced = /^```js\n([\s\S]*)\n```$/.exec(block);
  if (!fenced) throw new Error('the webhook example is not a single ```js code block');
  return `${fenced[1]}\n`;
}

let snippetText: string;
let snippet: Snippet;
let vectors: { valid: Vector[]; invalid: Vector[] };
let tmpDir: string;

beforeAll(async () => {
  snippetText = extractSnippet(await readFile(overviewFile, 'utf8'));
  tmpDir = await mkdtemp(path.join(os.tmpdir(), 'cc-webhook-snippet-'));
  const file = path.join(tmpDir, 'verify-webhook.mjs');
  await writeFile(file, snippetText);
  snippet = (await import(pathToFileURL(file).href)) as Snippet;
  vectors = JSON.parse(await readFile(vectorsFile, 'utf8'));
});

afterAll(async () => {
  if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
});

const memoryVector = () => vectors.valid.find((v) => v.name === 'memory-stored-event')!;
const at = (iso: string, offsetMs = 0) => Date.parse(iso) + offsetMs;
const sign = (body: string, secret: string) => `sha256=${crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

describe('the published webhook snippet', () => {
  it('is the same code as scripts/docs/verify-webhook.example.mjs', async () => {
    expect(snippetText).toBe(await readFile(exampleFile, 'utf8'));
  });

  it('compares with crypto.timingSafeEqual after a length check, never with ===', () => {
    expect(snippetText).toMatch(/\.length === \w+\.length && crypto\.timingSafeEqual\(/);
    expect(snippetText).toContain('/^sha256=[0-9a-f]{64}$/');
    expect(snippetText).not.toMatch(/signature\s*===|===\s*received|=== ?expected\b(?!\.length)/);
  });

  it('has the known-answer vectors to check', () => {
    expect(vectors.valid.length).toBeGreaterThanOrEqual(4);
    expect(vectors.invalid.length).toBeGreaterThanOrEqual(7);
  });
});

describe('verifySignature over the known-answer vectors', () => {
  it.each([0, 1, 2, 3])('accepts valid vector #%i', (i) => {
    const v = vectors.valid[i]!;
    expect(snippet.verifySignature(Buffer.from(v.body, 'utf8'), v.signature, v.secret), v.name).toBe(true);
  });

  it('accepts every valid vector and refuses every invalid one, without throwing', () => {
    for (const v of vectors.valid) expect(snippet.verifySignature(Buffer.from(v.body, 'utf8'), v.signature, v.secret), v.name).toBe(true);
    for (const v of vectors.invalid) expect(snippet.verifySignature(Buffer.from(v.body, 'utf8'), v.signature, v.secret), v.name).toBe(false);
  });

  it.each([
    ['upper-case hex', (s: string) => s.toUpperCase().replace('SHA256=', 'sha256=')],
    ['trailing space', (s: string) => `${s} `],
    ['one hex digit changed', (s: string) => s.slice(0, -1) + (s.endsWith('0') ? '1' : '0')],
    ['extra hex digits', (s: string) => `${s}00`],
    ['two signatures', (s: string) => `${s},${s}`],
  ])('refuses a valid signature with one change: %s', (_, change) => {
    const v = memoryVector();
    expect(snippet.verifySignature(Buffer.from(v.body, 'utf8'), change(v.signature), v.secret)).toBe(false);
  });

  it.each([[undefined], [null], [42], [['sha256=00']]])('refuses a header that is not a string: %j', (header) => {
    const v = memoryVector();
    expect(snippet.verifySignature(Buffer.from(v.body, 'utf8'), header, v.secret)).toBe(false);
  });
});

describe('checkDelivery: signature, freshness and de-duplication', () => {
  const deliver = (body: string, signature: string, now: number, isFirstDelivery = snippet.createDeduper()) =>
    snippet.checkDelivery({
      rawBody: Buffer.from(body, 'utf8'), headers: { 'x-chaozcode-signature': signature }, secret: memoryVector().secret, isFirstDelivery, now,
    });

  it('accepts a fresh signed event once, then answers its retry 200 without the event', () => {
    const v = memoryVector();
    const dedupe = snippet.createDeduper();
    const now = at('2026-01-30T12:01:00Z');
    const first = deliver(v.body, v.signature, now, dedupe);
    expect(first).toMatchObject({ status: 200, reason: 'accepted', event: { id: 'evt_3kTq9ZmW1xYb', type: 'memory.stored' } });
    const retry = deliver(v.body, v.signature, now + 30_000, dedupe);
    expect(retry.status).toBe(200);
    expect(retry.event).toBeUndefined();
  });

  it.each([
    ['more than five minutes old', at('2026-01-30T12:05:00Z', 1)],
    ['more than five minutes in the future', at('2026-01-30T11:55:00Z', -1)],
  ])('refuses an event %s', (_, now) => {
    const v = memoryVector();
    const result = deliver(v.body, v.signature, now);
    expect(result.status).toBe(400);
    expect(result.event).toBeUndefined();
  });

  it('accepts an event exactly five minutes old', () => {
    const v = memoryVector();
    expect(deliver(v.body, v.signature, at('2026-01-30T12:05:00Z')).status).toBe(200);
  });

  it('refuses a re-serialised body: the signature covers the raw bytes', () => {
    const v = memoryVector();
    const reserialised = JSON.stringify(JSON.parse(v.body), null, 2);
    expect(deliver(reserialised, v.signature, at('2026-01-30T12:01:00Z')).status).toBe(401);
  });

  it.each([
    ['a body that is not JSON', 'not json', 400],
    ['an event without createdAt', '{"id":"evt_nodate01","type":"webhook.test","data":{}}', 400],
    ['an event with a bad createdAt', '{"id":"evt_baddate1","type":"webhook.test","createdAt":"yesterday","data":{}}', 400],
  ])('refuses %s even when signed', (_, body, status) => {
    expect(deliver(body, sign(body, memoryVector().secret), at('2026-01-30T12:01:00Z')).status).toBe(status);
  });
});

describe('createWebhookHandler on a real loopback server', () => {
  let server: http.Server;
  let url: string;
  const received: { id: string }[] = [];

  beforeAll(async () => {
    const v = memoryVector();
    server = http.createServer(snippet.createWebhookHandler({ secret: v.secret, onEvent: (e) => received.push(e as { id: string }), maxBodyBytes: 4096 }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const post = (body: string, signature: string) =>
    fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-ChaozCode-Signature': signature } });

  it('processes a delivery once, answers its retry 200, refuses a forgery 401 and an oversized body 413', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at('2026-01-30T12:00:30Z'));
    const v = memoryVector();
    const first = await post(v.body, v.signature);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, reason: 'accepted' });
    const retry = await post(v.body, v.signature);
    expect(retry.status).toBe(200);
    const forged = await post(v.body.replace('"high"', '"low"'), v.signature);
    expect(forged.status).toBe(401);
    const huge = await post('x'.repeat(8192), sign('x'.repeat(8192), v.secret));
    expect(huge.status).toBe(413);
    expect(received.map((e) => e.id)).toEqual(['evt_3kTq9ZmW1xYb']);
  });
});
