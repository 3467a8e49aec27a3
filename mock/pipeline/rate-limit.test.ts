// Rate-limit arithmetic (D7) with an injected clock: bucket capacity and refill, the daily quota and
// its reset at 00:00 UTC, the four headers, Retry-After, and the refusing window.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

const FREE = { perMinute: 10, perDay: 100, burst: 20 };
const START = Date.parse('2026-03-10T12:00:00Z');

function limiter(start = START) {
  const clock = { t: start };
  return { clock, rl: new RateLimiter(() => clock.t) };
}

describe('token bucket', () => {
  it('admits a full burst, then refuses with window burst', () => {
    const { rl } = limiter();
    for (let i = 0; i < 20; i++) {
      const d = rl.take('k', FREE);
      expect(d.admitted).toBe(true);
      expect(d.headers['X-RateLimit-Remaining']).toBe(19 - i);
    }
    const refused = rl.take('k', FREE);
    expect(refused).toMatchObject({ admitted: false, window: 'burst', retryAfter: 6, limit: 10 });
    expect(refused.headers).toMatchObject({ 'X-RateLimit-Limit': 10, 'X-RateLimit-Remaining': 0, 'X-RateLimit-RetryAfter': 6 });
  });

  it('refills perMinute/60 tokens a second, continuously', () => {
    const { clock, rl } = limiter();
    for (let i = 0; i < 20; i++) rl.take('k', FREE);
    clock.t += 5_999;
    expect(rl.take('k', FREE).admitted).toBe(false);
    clock.t += 1;
    const d = rl.take('k', FREE);
    expect(d.admitted).toBe(true);
    expect(d.headers['X-RateLimit-Remaining']).toBe(0);
    clock.t += 60_000;
    expect(rl.peek('k', FREE).headers['X-RateLimit-Remaining']).toBe(10);
  });

  it('Reset is when the bucket is full again (epoch seconds)', () => {
    const { rl } = limiter();
    const d = rl.take('k', FREE); // 19 left: one token short, 6 s to refill
    expect(d.headers['X-RateLimit-Reset']).toBe(START / 1000 + 6);
    expect(d.headers['X-RateLimit-RetryAfter']).toBe(0);
  });

  it('keys have separate buckets', () => {
    const { rl } = limiter();
    for (let i = 0; i < 20; i++) rl.take('a', FREE);
    expect(rl.take('a', FREE).admitted).toBe(false);
    expect(rl.take('b', FREE).admitted).toBe(true);
  });

  it('Remaining can exceed Limit, up to burst', () => {
    const { rl } = limiter();
    expect(rl.take('k', FREE).headers['X-RateLimit-Remaining']).toBe(19);
  });
});

describe('daily quota', () => {
  it('refuses with window day once the quota is spent, until 00:00 UTC', () => {
    const { clock, rl } = limiter();
    for (let i = 0; i < 100; i++) {
      expect(rl.take('k', FREE).admitted).toBe(true);
      clock.t += 6_000; // one token a refill: the bucket never runs dry
    }
    const refused = rl.take('k', FREE);
    const midnight = Date.parse('2026-03-11T00:00:00Z');
    expect(refused).toMatchObject({ admitted: false, window: 'day', limit: 100 });
    expect(refused.retryAfter).toBe(Math.ceil((midnight - clock.t) / 1000));
    expect(refused.headers['X-RateLimit-Reset']).toBe(midnight / 1000);
    expect(refused.headers['X-RateLimit-Remaining']).toBe(0);
    clock.t = midnight;
    const next = rl.take('k', FREE);
    expect(next.admitted).toBe(true);
    expect(next.dayUsed).toBe(1);
  });

  it('counts dayUsed per key and day; unlimited plans never refuse for the day', () => {
    const { rl } = limiter();
    const ent = { perMinute: 1_000, perDay: null, burst: 2_000 };
    for (let i = 0; i < 1_500; i++) expect(rl.take('e', ent).admitted).toBe(true);
    expect(rl.take('e', ent).dayUsed).toBe(1_501);
  });

  it('a refused request does not consume', () => {
    const { rl } = limiter();
    for (let i = 0; i < 20; i++) rl.take('k', FREE);
    const before = rl.take('k', FREE).dayUsed;
    expect(rl.take('k', FREE).dayUsed).toBe(before);
  });
});

describe('reset and forget', () => {
  it('reset() refills every bucket', () => {
    const { rl } = limiter();
    for (let i = 0; i < 21; i++) rl.take('k', FREE);
    rl.reset();
    expect(rl.take('k', FREE).admitted).toBe(true);
  });
});
