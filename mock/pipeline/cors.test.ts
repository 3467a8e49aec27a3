// CORS headers (D11): any origin, the exposed headers browsers need, preflight allowances.
import { describe, expect, it } from 'vitest';
import { corsHeaders, isPreflight, preflightHeaders } from './cors.ts';

describe('cors', () => {
  it('allows any origin and exposes rate-limit headers, Retry-After and X-Request-Id', () => {
    const h = corsHeaders();
    expect(h['Access-Control-Allow-Origin']).toBe('*');
    const exposed = h['Access-Control-Expose-Headers'].split(', ');
    expect(exposed).toEqual(expect.arrayContaining(['X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-RetryAfter', 'Retry-After']));
  });

  it('preflight allows every method of the API and the headers a frontend sends', () => {
    const h = preflightHeaders();
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) expect(h['Access-Control-Allow-Methods']).toContain(m);
    for (const x of ['Authorization', 'Content-Type', 'Prefer']) expect(h['Access-Control-Allow-Headers']).toContain(x);
    expect(isPreflight('OPTIONS')).toBe(true);
    expect(isPreflight('GET')).toBe(false);
  });
});
