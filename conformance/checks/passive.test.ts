// Each passive check on hand-made exchanges over a tiny inline contract: good passes, bad fails
// (with the pointer where it applies). Tables of small cases, one row per rule.
import { describe, expect, it } from 'vitest';
import { exchange, inspectContext, limits } from '../testing.ts';
import type { Check, Exchange } from '../types.ts';
import { authRequired } from './auth-required.ts';
import { contentType } from './content-type.ts';
import { errorEnvelope } from './error-envelope.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import { requestId } from './request-id.ts';
import { responseSchema } from './response-schema.ts';
import { statusCodeDeclared } from './status-code-declared.ts';
import { transport } from './transport.ts';

const thing = { id: 'thing_1', name: 'one' };
const envelope = (code: string, requestId = 'req_e1') => ({ error: { code, message: 'no', requestId } });
const err = (status: number, code: string, extra: Record<string, string> = {}) =>
  exchange({ status, operationId: 'getThing', body: envelope(code), headers: { 'x-request-id': 'req_e1', ...limits(), ...extra } });

interface Row { check: Check; name: string; ex: () => Exchange; fails: boolean; pointer?: string }

const rows: Row[] = [
  { check: statusCodeDeclared, name: 'declared 200', ex: () => exchange({ operationId: 'getThing', body: thing }), fails: false },
  { check: statusCodeDeclared, name: 'undeclared 418', ex: () => exchange({ operationId: 'getThing', status: 418, body: thing }), fails: true, pointer: '/status' },
  { check: statusCodeDeclared, name: 'unknown path is not judged', ex: () => exchange({ status: 418 }), fails: false },

  { check: responseSchema, name: 'valid body', ex: () => exchange({ operationId: 'getThing', body: thing }), fails: false },
  { check: responseSchema, name: 'extra property', ex: () => exchange({ operationId: 'getThing', body: { ...thing, extra: 1 } }), fails: true, pointer: '/extra' },
  { check: responseSchema, name: 'wrong type', ex: () => exchange({ operationId: 'getThing', body: { ...thing, size: 'big' } }), fails: true, pointer: '/size' },
  { check: responseSchema, name: 'missing required', ex: () => exchange({ operationId: 'getThing', body: { id: 'thing_1' } }), fails: true, pointer: '/name' },
  { check: responseSchema, name: 'JSON declared but not JSON', ex: () => exchange({ operationId: 'getThing', rawBody: '{oops' }), fails: true, pointer: '' },
  { check: responseSchema, name: 'error body with bad details type', ex: () => exchange({ status: 404, operationId: 'getThing', body: { error: { ...envelope('NOT_FOUND').error, details: 'x' } } }), fails: true, pointer: '/error/details' },
  { check: responseSchema, name: 'broken envelope is left to error-envelope', ex: () => exchange({ status: 404, operationId: 'getThing', body: { title: 'Not Found' } }), fails: false },
  { check: responseSchema, name: 'required unowned header missing', ex: () => exchange({ method: 'POST', path: '/things', status: 201, operationId: 'createThing', body: thing }), fails: true, pointer: '/headers/x-trace' },
  { check: responseSchema, name: 'unowned header with wrong type', ex: () => exchange({ method: 'POST', path: '/things', status: 201, operationId: 'createThing', body: thing, headers: { 'x-trace': 'abc' } }), fails: true, pointer: '/headers/x-trace' },
  { check: responseSchema, name: 'unowned header valid', ex: () => exchange({ method: 'POST', path: '/things', status: 201, operationId: 'createThing', body: thing, headers: { 'x-trace': '7' } }), fails: false },

  { check: contentType, name: 'declared media type with charset', ex: () => exchange({ operationId: 'getThing', body: thing, headers: { 'content-type': 'application/json; charset=utf-8' } }), fails: false },
  { check: contentType, name: 'undeclared media type', ex: () => exchange({ operationId: 'getThing', body: thing, headers: { 'content-type': 'text/html' } }), fails: true, pointer: '/headers/content-type' },
  { check: contentType, name: 'body without Content-Type', ex: () => exchange({ operationId: 'getThing', body: thing, headers: { 'content-type': '' } }), fails: true },
  { check: contentType, name: '204 with a body', ex: () => exchange({ method: 'DELETE', status: 204, operationId: 'deleteThing', body: thing }), fails: true },
  { check: contentType, name: 'errors are not judged here', ex: () => exchange({ status: 404, operationId: 'getThing', rawBody: '<html>', headers: { 'content-type': 'text/html' } }), fails: false },

  { check: errorEnvelope, name: 'good envelope', ex: () => err(404, 'NOT_FOUND'), fails: false },
  { check: errorEnvelope, name: 'code of another status', ex: () => err(404, 'VALIDATION_ERROR'), fails: true, pointer: '/error/code' },
  { check: errorEnvelope, name: 'unknown code', ex: () => err(404, 'NOPE'), fails: true, pointer: '/error/code' },
  { check: errorEnvelope, name: 'requestId differs from header', ex: () => err(404, 'NOT_FOUND', { 'x-request-id': 'req_other' }), fails: true, pointer: '/error/requestId' },
  { check: errorEnvelope, name: 'problem+json', ex: () => exchange({ status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404 }, headers: { 'content-type': 'application/problem+json' } }), fails: true },
  { check: errorEnvelope, name: 'HTML error page', ex: () => exchange({ status: 500, rawBody: '<h1>oops</h1>', headers: { 'content-type': 'text/html' } }), fails: true },
  { check: errorEnvelope, name: 'missing requestId', ex: () => exchange({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'x' } } }), fails: true, pointer: '/error/requestId' },
  { check: errorEnvelope, name: '2xx not judged', ex: () => exchange({ operationId: 'getThing', body: thing }), fails: false },

  { check: requestId, name: 'well-formed id', ex: () => exchange({ body: thing }), fails: false },
  { check: requestId, name: 'missing id', ex: () => exchange({ body: thing, headers: { 'x-request-id': '' } }), fails: true, pointer: '/headers/x-request-id' },
  { check: requestId, name: 'malformed id', ex: () => exchange({ body: thing, headers: { 'x-request-id': 'abc' } }), fails: true },

  { check: rateLimitHeaders, name: 'present and consistent', ex: () => exchange({ operationId: 'getThing', body: thing, headers: limits() }), fails: false },
  { check: rateLimitHeaders, name: 'missing on an authenticated response', ex: () => exchange({ operationId: 'getThing', body: thing }), fails: true, pointer: '/headers/x-ratelimit-limit' },
  { check: rateLimitHeaders, name: 'not an integer', ex: () => exchange({ operationId: 'getThing', body: thing, headers: { ...limits(), 'x-ratelimit-remaining': '4.5' } }), fails: true, pointer: '/headers/x-ratelimit-remaining' },
  { check: rateLimitHeaders, name: 'RetryAfter while requests remain', ex: () => exchange({ operationId: 'getThing', body: thing, headers: limits(3, 5) }), fails: true, pointer: '/headers/x-ratelimit-retryafter' },
  { check: rateLimitHeaders, name: 'RetryAfter 0 with nothing left', ex: () => exchange({ operationId: 'getThing', body: thing, headers: limits(0, 0) }), fails: true },
  { check: rateLimitHeaders, name: 'Reset in milliseconds', ex: () => exchange({ operationId: 'getThing', body: thing, headers: limits(3, 0, Date.now()) }), fails: true, pointer: '/headers/x-ratelimit-reset' },
  { check: rateLimitHeaders, name: 'present on a 401', ex: () => exchange({ status: 401, operationId: 'getThing', body: envelope('UNAUTHORIZED'), auth: 'none', headers: limits() }), fails: true },
  { check: rateLimitHeaders, name: 'absent on a 401', ex: () => exchange({ status: 401, operationId: 'getThing', body: envelope('UNAUTHORIZED'), auth: 'none' }), fails: false },
  { check: rateLimitHeaders, name: 'present on /health', ex: () => exchange({ path: '/health', operationId: 'getHealth', body: {}, headers: limits() }), fails: true },
  { check: rateLimitHeaders, name: 'unauthenticated request not judged', ex: () => exchange({ operationId: 'getThing', body: thing, auth: 'unknown', status: 200 }), fails: false },

  { check: authRequired, name: '401 with Bearer', ex: () => exchange({ status: 401, body: envelope('UNAUTHORIZED'), headers: { 'www-authenticate': 'Bearer realm="api"' } }), fails: false },
  { check: authRequired, name: '401 without WWW-Authenticate', ex: () => exchange({ status: 401, body: envelope('UNAUTHORIZED') }), fails: true, pointer: '/headers/www-authenticate' },
  { check: authRequired, name: '401 with Basic', ex: () => exchange({ status: 401, body: envelope('UNAUTHORIZED'), headers: { 'www-authenticate': 'Basic' } }), fails: true },

  { check: methodNotAllowed, name: '405 with Allow', ex: () => exchange({ status: 405, body: envelope('METHOD_NOT_ALLOWED'), headers: { allow: 'GET' } }), fails: false },
  { check: methodNotAllowed, name: '405 without Allow', ex: () => exchange({ status: 405, body: envelope('METHOD_NOT_ALLOWED') }), fails: true, pointer: '/headers/allow' },

  { check: transport, name: 'complete answer', ex: () => exchange({ body: thing }), fails: false },
  { check: transport, name: 'reset mid-response', ex: () => exchange({ error: { kind: 'reset', message: 'closed' } }), fails: true },
  { check: transport, name: 'run abort is not a finding', ex: () => exchange({ error: { kind: 'aborted', message: 'aborted' } }), fails: false },
];

describe('passive checks on hand-made exchanges', () => {
  const ctx = inspectContext();
  it.each(rows)('$check.id: $name', ({ check, ex, fails, pointer }) => {
    const findings = check.inspect!(ctx, ex());
    expect(findings.length > 0, JSON.stringify(findings)).toBe(fails);
    if (pointer !== undefined) expect(findings.map((f) => f.pointer)).toContain(pointer);
    for (const f of findings) expect(f.message.length).toBeGreaterThan(10);
  });

  it('request-id: a reused id is a finding', () => {
    const c = inspectContext();
    const a = exchange({ body: thing, headers: { 'x-request-id': 'req_same' } });
    const b = exchange({ body: thing, headers: { 'x-request-id': 'req_same' } });
    expect(requestId.inspect!(c, a)).toEqual([]);
    expect(requestId.inspect!(c, b)[0].message).toMatch(/already used/);
  });
});
