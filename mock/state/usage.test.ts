// The usage ledger: per-day and per-operation counts of the current UTC month, tokens, invariants.
import { describe, expect, it } from 'vitest';
import { UsageLedger } from './usage.ts';

describe('UsageLedger', () => {
  it('reports the month to date with invariants that add up', () => {
    const clock = { t: Date.parse('2026-03-02T10:00:00Z') };
    const u = new UsageLedger(() => clock.t);
    u.recordRequest({ operationId: 'listModels', method: 'GET', path: '/models' });
    u.recordTokens(10, 20);
    clock.t = Date.parse('2026-03-03T09:00:00Z');
    u.recordRequest({ operationId: 'createQuery', method: 'POST', path: '/query' });
    u.recordRequest({ operationId: 'createQuery', method: 'POST', path: '/query' });
    const r = u.report();
    expect(r.period).toEqual({ start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' });
    expect(r.daily).toEqual([
      { date: '2026-03-01', requests: 0, tokens: 0 },
      { date: '2026-03-02', requests: 1, tokens: 30 },
      { date: '2026-03-03', requests: 2, tokens: 0 },
    ]);
    expect(r.requests).toEqual({ today: 2, thisMonth: 3 });
    expect(r.tokens).toEqual({ prompt: 10, completion: 20, total: 30 });
    expect(r.byEndpoint.map((e) => [e.operationId, e.count])).toEqual([
      ['createQuery', 2],
      ['listModels', 1],
    ]);
    clock.t = Date.parse('2026-04-01T00:00:00Z');
    expect(u.report()).toMatchObject({ requests: { today: 0, thisMonth: 0 }, byEndpoint: [], daily: [{ date: '2026-04-01' }] });
  });
});
