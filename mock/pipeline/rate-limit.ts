// Rate limits (D7): per key, a token bucket of capacity `burst` refilled continuously at
// `perMinute / 60` tokens a second, plus a daily quota reset at 00:00 UTC. Admission takes one of
// each. The clock is injected (`now()` in ms), so the arithmetic is testable without sleeping.
// Tokens are kept in exact integer units (1 token = 60,000 units, refilled at perMinute units a
// millisecond), so no floating-point drift. Limits: in memory, per process.
import type { PlanConfig } from '../config.ts';
import { DAY_MS, utcDayStart } from '../time.ts';

const UNIT = 60_000;

interface Bucket {
  /** Tokens x 60,000. */
  units: number;
  last: number;
  dayStart: number;
  dayUsed: number;
}

export interface RateDecision {
  admitted: boolean;
  /** Which limit refused the request (only when not admitted). */
  window?: 'burst' | 'day';
  /** The four X-RateLimit-* headers, computed after the decision. */
  headers: {
    'X-RateLimit-Limit': number;
    'X-RateLimit-Remaining': number;
    'X-RateLimit-Reset': number;
    'X-RateLimit-RetryAfter': number;
  };
  /** Whole seconds until a request would be admitted (0 when one would be now). */
  retryAfter: number;
  /** The limit of the refusing window: perMinute for burst, perDay for day. */
  limit: number;
  /** Requests admitted today for this key, after this one. */
  dayUsed: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  reset(): void {
    this.buckets.clear();
  }

  /** Forgets one key's bucket (a revoked key). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** Admits (or refuses) one request of `key` under `plan`. */
  take(key: string, plan: PlanConfig): RateDecision {
    const now = this.now();
    const b = this.refill(key, plan, now);
    const dayLeft = plan.perDay === null ? Infinity : plan.perDay - b.dayUsed;
    const admitted = b.units >= UNIT && dayLeft >= 1;
    if (admitted) {
      b.units -= UNIT;
      b.dayUsed += 1;
    }
    const window = admitted ? undefined : dayLeft < 1 ? 'day' : 'burst';
    return this.describe(b, plan, now, admitted, window);
  }

  /** The headers as they stand now, without taking anything. */
  peek(key: string, plan: PlanConfig): RateDecision {
    const now = this.now();
    return this.describe(this.refill(key, plan, now), plan, now, true, undefined);
  }

  private refill(key: string, plan: PlanConfig, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { units: plan.burst * UNIT, last: now, dayStart: utcDayStart(now), dayUsed: 0 };
      this.buckets.set(key, b);
    }
    if (now > b.last) {
      b.units = Math.min(plan.burst * UNIT, b.units + (now - b.last) * plan.perMinute);
      b.last = now;
    }
    if (now >= b.dayStart + DAY_MS) {
      b.dayStart = utcDayStart(now);
      b.dayUsed = 0;
    }
    return b;
  }

  private describe(b: Bucket, plan: PlanConfig, now: number, admitted: boolean, window?: 'burst' | 'day'): RateDecision {
    const dayLeft = plan.perDay === null ? Infinity : plan.perDay - b.dayUsed;
    const remaining = Math.max(0, Math.min(Math.floor(b.units / UNIT), dayLeft));
    const nextMidnight = b.dayStart + DAY_MS;
    const daySpent = dayLeft < 1;
    // Reset: when Remaining is back at its maximum (a full bucket), or the next midnight once the day is spent.
    const fullAtMs = now + Math.max(0, plan.burst * UNIT - b.units) / plan.perMinute;
    const resetMs = daySpent ? nextMidnight : fullAtMs;
    let retryAfter = 0;
    if (remaining < 1) {
      const waitMs = daySpent ? nextMidnight - now : (UNIT - b.units) / plan.perMinute;
      retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    }
    const limit = window === 'day' ? (plan.perDay ?? 0) : plan.perMinute;
    return {
      admitted,
      window,
      headers: {
        'X-RateLimit-Limit': plan.perMinute,
        'X-RateLimit-Remaining': remaining,
        'X-RateLimit-Reset': Math.ceil(resetMs / 1000),
        'X-RateLimit-RetryAfter': retryAfter,
      },
      retryAfter,
      limit,
      dayUsed: b.dayUsed,
    };
  }
}
