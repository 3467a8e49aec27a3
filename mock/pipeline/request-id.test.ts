// Request ids: the contract's pattern with 16+ alphanumerics, and no repeats over many draws.
import { describe, expect, it } from 'vitest';
import { newRequestId, randomAlnum, REQUEST_ID_PATTERN } from './request-id.ts';

describe('request ids', () => {
  it('look like req_ plus 20 characters of [A-Za-z0-9]', () => {
    for (let i = 0; i < 1_000; i++) expect(newRequestId()).toMatch(REQUEST_ID_PATTERN);
    expect(newRequestId()).toHaveLength(24);
  });

  it('do not repeat, across refills of the random pool', () => {
    const seen = new Set(Array.from({ length: 20_000 }, () => newRequestId()));
    expect(seen.size).toBe(20_000);
  });

  it('randomAlnum gives the length asked and uses the whole alphabet', () => {
    const s = randomAlnum(5_000);
    expect(s).toMatch(/^[A-Za-z0-9]{5000}$/);
    expect(new Set(s).size).toBe(62);
  });
});
