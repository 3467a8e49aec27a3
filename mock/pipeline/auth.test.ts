// Key lookup and key-type gates (D4), over a real key ring with the demo keys.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config.ts';
import { KeyRing } from '../state/key-ring.ts';
import { authenticate, authorize, WWW_AUTHENTICATE } from './auth.ts';
import { ApiError } from './errors.ts';

const ring = new KeyRing(defaultConfig().keys, () => 0, '2026-01-01T00:00:00Z');

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected a refusal');
}

describe('authenticate', () => {
  it.each([
    [undefined, /Missing/],
    ['Basic abc', /Malformed Authorization/],
    ['Bearer', /Malformed Authorization/],
    ['Bearer cc_prod_abcdefgh', /Malformed API key/],
    ['Bearer cc_test_short', /Malformed API key/],
    ['Bearer cc_test_unknown_key', /unknown or has been revoked/],
  ])('%s -> 401', (header, message) => {
    const e = refusal(() => authenticate(header, ring));
    expect(e.status).toBe(401);
    expect(e.message).toMatch(message);
    expect(e.headers).toEqual({ 'WWW-Authenticate': WWW_AUTHENTICATE });
  });

  it('finds the demo keys, case-insensitive scheme', () => {
    expect(authenticate('Bearer cc_test_demo_pro', ring).account).toBe('pro');
    expect(authenticate('bearer cc_live_demo_enterprise', ring).type).toBe('production');
  });
});

describe('authorize', () => {
  const readonly = authenticate('Bearer cc_test_demo_readonly', ring);
  const restricted = authenticate('Bearer cc_test_demo_restricted', ring);
  it.each([
    [readonly, 'GET', 'memory', true],
    [readonly, 'HEAD', 'query', true],
    [readonly, 'POST', 'memory', false],
    [readonly, 'DELETE', 'projects', false],
    [restricted, 'POST', 'memory', true],
    [restricted, 'GET', 'query', false],
    [restricted, 'GET', 'user', false],
  ])('%#: %s %s on %s', (key, method, tag, allowed) => {
    if (allowed) expect(() => authorize(key, method, tag)).not.toThrow();
    else expect(refusal(() => authorize(key, method, tag)).status).toBe(403);
  });
});
