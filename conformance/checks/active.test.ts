// Active checks against a fake target over the tiny inline contract: a responder that follows
// the rules passes, one that breaks the check's rule fails it (and only where it should).
import { describe, expect, it } from 'vitest';
import { fillPath } from '../request-builder.ts';
import { SecretRing } from '../redact.ts';
import type { ResourceFactory } from '../resources.ts';
import { exchange, limits, testConfig, tinySpec } from '../testing.ts';
import type { Check, CheckContext, FindingInput, OutgoingRequest } from '../types.ts';
import { authRequired } from './auth-required.ts';
import { keyPermissions } from './key-permissions.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { negativeInput } from './negative-input.ts';
import { notFound } from './not-found.ts';
import { positiveInput } from './positive-input.ts';
import { rateLimitEnforcement } from './rate-limit-enforcement.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';

type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
type Responder = (req: OutgoingRequest) => Answer;

async function runActive(check: Check, respond: Responder) {
  const spec = tinySpec();
  const fails: FindingInput[] = [];
  const passes: string[] = [];
  const skips: string[] = [];
  const resources = {
    webhookUrl: 'http://127.0.0.1:9/sink',
    pathFor: async (op: { path: string }) => ({ path: fillPath(op.path, { id: 'thing_abc' }) }),
    adopt: () => {},
  } as unknown as ResourceFactory;
  const ctx: CheckContext = {
    checkId: check.id, spec, runId: 'r1', signal: new AbortController().signal, secrets: new SecretRing(), resources,
    config: testConfig({ keys: { full: 'cc_test_full12345678', readonly: 'cc_test_ro12345678', restricted: 'cc_test_rs12345678', exhaust: 'cc_test_ex12345678' }, restrictedScopes: ['other'] }),
    filtered: false,
    send: async (req) => {
      const a = respond(req);
      const op = req.operationId ? spec.operation(req.operationId) : spec.matchOperation(req.method, req.path);
      return exchange({ method: req.method, path: req.path, operationId: op?.operationId, status: a.status, headers: a.headers, body: a.body, auth: req.auth ?? 'full' });
    },
    openStream: async () => { throw new Error('not used'); },
    pass: (op) => passes.push(op),
    fail: (f) => fails.push(f),
    skip: (op, reason) => skips.push(`${op}: ${reason}`),
    onCleanup: () => {},
    operations: () => spec.operations,
    observedStatuses: () => [],
    sleep: async () => {},
    log: () => {},
  };
  await check.run!(ctx);
  return { fails, passes, skips };
}

const env = (code: string, details?: object) => ({ error: { code, message: 'm', requestId: 'req_1', details } });
const isWrite = (r: OutgoingRequest) => r.method !== 'GET';

/** A target that follows the tiny contract's rules. */
const good: Responder = (req) => {
  const spec = tinySpec();
  const hit = spec.matchPath(req.path);
  if (req.path.startsWith('/health')) return req.method === 'GET' ? { status: 200, body: {} } : { status: 405, headers: { allow: 'GET' }, body: env('METHOD_NOT_ALLOWED') };
  if (req.auth === 'none' || req.auth === 'unknown' || req.auth === 'malformed') return { status: 401, body: env('UNAUTHORIZED') };
  if (req.auth === 'readonly' && isWrite(req)) return { status: 403, body: env('FORBIDDEN') };
  if (req.auth === 'restricted') return { status: 403, body: env('FORBIDDEN') };
  if (!hit) return { status: 404, body: env('NOT_FOUND') };
  if (!hit.methods.includes(req.method)) return { status: 405, headers: { allow: hit.methods.join(', ') }, body: env('METHOD_NOT_ALLOWED') };
  if (req.path.startsWith('/things/') && !req.path.endsWith('thing_abc') && !req.path.startsWith('/things/stats')) return { status: 404, body: env('NOT_FOUND') };
  if (req.method === 'POST') {
    if (req.rawBody !== undefined || req.headers?.['content-type'] === 'text/plain') return { status: 400, body: env('INVALID_REQUEST') };
    const v = spec.registry.validate(spec.operation('createThing')!.requestBody!.schema, req.json);
    if (!v.length) return { status: 201, body: { id: 'thing_1', name: 'x' } };
    const field = v[0].pointer.slice(1).replace(/\//g, '.').replace(/\.(\d+)/g, '[$1]');
    return { status: v[0].keyword === 'required' ? 400 : 422, body: env(v[0].keyword === 'required' ? 'INVALID_REQUEST' : 'VALIDATION_ERROR', { field, reason: v[0].keyword }) };
  }
  return { status: req.method === 'DELETE' ? 204 : 200, body: req.method === 'DELETE' ? undefined : { id: 'thing_abc', name: 'x' } };
};

const table: { check: Check; breaks: string; bad: Responder; failing: RegExp }[] = [
  { check: authRequired, breaks: 'ignores an unknown key', bad: (r) => (r.auth === 'unknown' && !r.path.startsWith('/health') ? { status: 200, body: {} } : good(r)), failing: /unknown well-formed key; D4: 401/ },
  { check: authRequired, breaks: 'demands a key on /health', bad: (r) => (r.path.startsWith('/health') ? { status: 401, body: env('UNAUTHORIZED') } : good(r)), failing: /needs no key/ },
  { check: keyPermissions, breaks: 'lets the readonly key write', bad: (r) => (r.auth === 'readonly' ? { status: 201, body: {} } : good(r)), failing: /readonly key, which may not POST; D4: 403/ },
  { check: keyPermissions, breaks: 'refuses the readonly key a read', bad: (r) => (r.auth === 'readonly' ? { status: 403, body: env('FORBIDDEN') } : good(r)), failing: /readonly key, which may read/ },
  { check: notFound, breaks: 'answers 422 for a malformed id', bad: (r) => (r.path.includes('not%20a%20valid') ? { status: 422, body: env('VALIDATION_ERROR') } : good(r)), failing: /malformed id .*expected 404/ },
  { check: notFound, breaks: 'answers 200 on unknown paths', bad: (r) => (r.path.startsWith('/conformance-unknown') ? { status: 200, body: {} } : good(r)), failing: /a path the contract does not have/ },
  { check: methodNotAllowed, breaks: 'routes GET /things/stats... to 404', bad: (r) => (r.method === 'POST' && r.path === '/things/stats' ? { status: 404, body: env('NOT_FOUND') } : good(r)), failing: /must be 405/ },
  { check: methodNotAllowed, breaks: 'lists a wrong Allow', bad: (r) => { const a = good(r); return a.status === 405 ? { ...a, headers: { allow: 'GET, POST, PUT, PATCH, DELETE' } } : a; }, failing: /should list exactly the declared methods/ },
  { check: negativeInput, breaks: 'answers 500 to malformed JSON', bad: (r) => (typeof r.rawBody === 'string' && r.rawBody.endsWith(',') ? { status: 500, body: env('INTERNAL_ERROR') } : good(r)), failing: /malformed JSON: POST \/things → 500/ },
  { check: negativeInput, breaks: 'names no field', bad: (r) => { const a = good(r); return a.status === 422 ? { ...a, body: env('VALIDATION_ERROR', { reason: 'type' }) } : a; }, failing: /details.field is undefined/ },
  { check: negativeInput, breaks: 'answers 422 for a missing field', bad: (r) => { const a = good(r); return a.status === 400 && r.json !== undefined ? { ...a, status: 422 } : a; }, failing: /missing required name: .*→ 422/ },
  { check: positiveInput, breaks: 'refuses a valid body', bad: (r) => (r.method === 'POST' ? { status: 422, body: env('VALIDATION_ERROR') } : good(r)), failing: /valid request .*→ 422/ },
];

describe('active checks against a fake target', () => {
  it.each([authRequired, keyPermissions, notFound, methodNotAllowed, negativeInput, positiveInput])('$id passes a target that follows the rules', async (check) => {
    const { fails, passes } = await runActive(check, good);
    expect(fails.map((f) => f.message)).toEqual([]);
    expect(passes.length).toBeGreaterThan(0);
  });

  it.each(table)('$check.id fails a target that $breaks', async ({ check, bad, failing }) => {
    const { fails } = await runActive(check, bad);
    expect(fails.map((f) => f.message).join('\n')).toMatch(failing);
    for (const f of fails) expect(f.exchange, f.message).toBeDefined();
  });
});

describe('rate-limit checks against a fake token bucket', () => {
  function bucket(opts: { burst: number; frozen?: boolean; noRetryAfter?: boolean; early?: number; noRemaining?: boolean }): Responder {
    let tokens = opts.burst;
    const reset = String(Math.floor(Date.now() / 1000) + 60);
    return (req) => {
      if (req.auth !== 'exhaust') return good(req);
      const limited = tokens < 1 || (opts.early !== undefined && tokens <= opts.early);
      if (!limited) tokens -= 1;
      const remaining = opts.frozen ? opts.burst : Math.floor(tokens);
      const headers: Record<string, string> = { ...limits(remaining, limited || remaining === 0 ? 2 : 0, Number(reset)), 'x-ratelimit-limit': '10' };
      if (opts.noRemaining) delete headers['x-ratelimit-remaining'];
      if (limited) {
        tokens = 1; // "waiting" refills one token
        if (!opts.noRetryAfter) headers['retry-after'] = '2';
        return { status: 429, headers, body: env('RATE_LIMITED', { window: 'burst', limit: 10, retryAfter: 2 }) };
      }
      return { status: 200, headers, body: { id: 'thing_abc', name: 'x' } };
    };
  }

  it('passes a bucket that behaves', async () => {
    const e = await runActive(rateLimitEnforcement, bucket({ burst: 5 }));
    expect(e.fails.map((f) => f.message)).toEqual([]);
    expect(e.passes).toHaveLength(2);
    const h = await runActive(rateLimitHeaders, bucket({ burst: 8 }));
    expect(h.fails).toEqual([]);
    expect(h.passes).toHaveLength(1);
  });

  it('fails a 429 without Retry-After', async () => {
    const { fails } = await runActive(rateLimitEnforcement, bucket({ burst: 5, noRetryAfter: true }));
    expect(fails.map((f) => f.message).join('\n')).toMatch(/no Retry-After header/);
  });

  it('fails a 429 that comes while requests remain', async () => {
    const { fails } = await runActive(rateLimitEnforcement, bucket({ burst: 6, early: 3 }));
    expect(fails.map((f) => f.message).join('\n')).toMatch(/429 although the previous response said X-RateLimit-Remaining: 3/);
  });

  it('fails a Remaining that does not fall (headers), and leaves that to the headers check (enforcement)', async () => {
    const h = await runActive(rateLimitHeaders, bucket({ burst: 8, frozen: true }));
    expect(h.fails.map((f) => f.message).join('\n')).toMatch(/did not fall on 5 of 5 consecutive requests/);
    const e = await runActive(rateLimitEnforcement, bucket({ burst: 8, frozen: true }));
    expect(e.fails.map((f) => f.message).join('\n')).not.toMatch(/previous response said/);
  });

  it('without X-RateLimit-Remaining, still exhausts a burst of twice the Limit (the missing header is rate-limit-headers\' finding)', async () => {
    const e = await runActive(rateLimitEnforcement, bucket({ burst: 20, noRemaining: true }));
    expect(e.fails.map((f) => f.message)).toEqual([]);
    expect(e.passes).toHaveLength(2);
  });

  it('without X-RateLimit-Remaining, a key that is never limited fails after a bounded number of requests', async () => {
    const { fails } = await runActive(rateLimitEnforcement, (r) => (r.auth === 'exhaust' ? { status: 200, headers: { 'x-ratelimit-limit': '10' }, body: {} } : good(r)));
    expect(fails.map((f) => f.message).join('\n')).toMatch(/no 429 after 36 requests .*no X-RateLimit-Remaining, so up to 35 requests were tried/);
  });

  it('fails a key that is never limited', async () => {
    const { fails } = await runActive(rateLimitEnforcement, (r) => (r.auth === 'exhaust' ? { status: 200, headers: limits(3), body: {} } : good(r)));
    expect(fails.map((f) => f.message).join('\n')).toMatch(/no 429 after 9 requests/);
  });
});
