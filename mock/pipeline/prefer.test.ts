// The Prefer header as Prism reads it (code, example, dynamic, seed, and the __code query
// fallback), plus the mock's delay and stream failure tokens; undecodable values are ignored.
import { describe, expect, it } from 'vitest';
import { appliedPreferences, readPreferences } from './prefer.ts';

describe('readPreferences', () => {
  it('is undefined without a header or fallback', () => expect(readPreferences(undefined, null)).toBeUndefined());

  it.each([
    ['code=404', { prism: { code: 404 } }],
    ['example=fresh', { prism: { exampleKey: 'fresh' } }],
    ['dynamic=true', { prism: { dynamic: true } }],
    ['dynamic=true, seed=abc', { prism: { dynamic: true, seed: 'abc' } }],
    ['code=200, example=reference', { prism: { code: 200, exampleKey: 'reference' } }],
    ['delay=150', { delayMs: 150 }],
    ['delay=999999', { delayMs: 60_000 }],
    ['code=404, delay=20', { prism: { code: 404 }, delayMs: 20 }],
    ['stream-fail-after=3', { streamFailAfter: 3 }],
    ['stream-error', { streamFailAfter: 2 }],
    ['code=abc', {}],
    ['dynamic=false', {}],
    ['respond-async', {}],
  ])('%s', (header, want) => {
    const got = readPreferences(header, null) ?? {};
    const prism = got.prism ? Object.fromEntries(Object.entries(got.prism).filter(([, v]) => v !== undefined)) : undefined;
    expect({ ...got, ...(prism ? { prism } : {}) }).toEqual(want);
  });

  it('reads Prism query fallbacks when there is no Prefer header', () => {
    expect(readPreferences(undefined, new URLSearchParams('__code=429'))?.prism?.code).toBe(429);
  });

  it('says what was applied', () => {
    expect(appliedPreferences({ prism: { code: 404, exampleKey: 'x' }, delayMs: 5 })).toBe('code=404, example=x, delay=5');
    expect(appliedPreferences({})).toBeUndefined();
  });
});
