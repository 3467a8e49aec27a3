// A small run of scripts/bench-streams.ts (kept here, in the streams folder, because the script's
// folder belongs to others): benchStreams against an in-process mock with 30 streams, and the
// nearest-rank percentile it reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchStreams, formatStreamBench, percentile } from '../../scripts/bench-streams.ts';
import { startMock, type RunningMock } from '../server.ts';

describe('percentile', () => {
  it.each([
    [[], 50, NaN],
    [[7], 99, 7],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50, 50],
  ])('of %j at p%i is %d', (values, p, want) => {
    expect(percentile(values, p)).toEqual(want);
  });
});

describe('benchStreams', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ port: 0, quiet: true, config: { stream: { deltaDelayMs: 2, keepAliveMs: 15_000 } } });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('runs concurrent streams to completion and reports their figures', async () => {
    const r = await benchStreams(mock.baseUrl, { streams: 30, warmup: 2 });
    expect(r.failures).toEqual([]);
    expect(r.valid).toBe(30);
    expect(r.eventsReceived).toBeGreaterThan(30 * 3);
    expect(r.timeToFirstEventMs.p50).toBeGreaterThan(0);
    expect(r.timeToFirstEventMs.p50).toBeLessThanOrEqual(r.timeToFirstEventMs.p99);
    expect(r.timeToFirstEventMs.p99).toBeLessThanOrEqual(r.totalMs);
    expect(r.activeStreamsAfter).toBe(0);
    expect(r.memory.peak.heapUsedMB).toBeGreaterThanOrEqual(r.memory.before.heapUsedMB);
    expect(formatStreamBench(r)[0]).toMatch(/^streams: 30\/30 complete/);
  });

  it('counts a refused stream as a failure', async () => {
    const r = await benchStreams(mock.baseUrl, { streams: 3, warmup: 0, key: 'cc_test_nobody_at_all' });
    expect(r.valid).toBe(0);
    expect(r.failures[0]).toMatch(/status 401/);
  });
});
