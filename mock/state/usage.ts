// What the mock really served, per account (GET /user/usage): requests per UTC day and per
// operation, and model tokens per day, for the current calendar month (UTC).
// Limits: in memory; months before the current one are dropped from the view, not from memory.
import { DAY_MS, isoSeconds, utcDate, utcDayStart } from '../time.ts';

interface Day {
  requests: number;
  prompt: number;
  completion: number;
}

export interface EndpointKey {
  operationId: string;
  method: string;
  path: string;
}

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export class UsageLedger {
  private readonly days = new Map<number, Day>();
  /** The current month's bounds, kept to avoid date arithmetic on every request. */
  private monthFrom = NaN;
  private monthTo = NaN;
  private readonly endpoints = new Map<number, Map<string, EndpointKey & { count: number }>>();

  constructor(private readonly now: () => number) {}

  private day(ms: number): Day {
    const start = utcDayStart(ms);
    let d = this.days.get(start);
    if (!d) {
      d = { requests: 0, prompt: 0, completion: 0 };
      this.days.set(start, d);
    }
    return d;
  }

  /** One served request of the account. */
  recordRequest(ep: EndpointKey): void {
    const now = this.now();
    this.day(now).requests += 1;
    if (!(now >= this.monthFrom && now < this.monthTo)) {
      this.monthFrom = monthStart(now);
      this.monthTo = nextMonthStart(now);
    }
    const month = this.monthFrom;
    let eps = this.endpoints.get(month);
    if (!eps) {
      eps = new Map();
      this.endpoints.set(month, eps);
    }
    let entry = eps.get(ep.operationId);
    if (!entry) {
      entry = { operationId: ep.operationId, method: ep.method, path: ep.path, count: 0 };
      eps.set(ep.operationId, entry);
    }
    entry.count += 1;
  }

  /** Model tokens consumed by a served request. */
  recordTokens(prompt: number, completion: number): void {
    const d = this.day(this.now());
    d.prompt += prompt;
    d.completion += completion;
  }

  /** Requests of the account today (UTC). */
  today(): number {
    return this.days.get(utcDayStart(this.now()))?.requests ?? 0;
  }

  /** The contract's UserUsage (without plan/limit, which the caller adds). */
  report() {
    const now = this.now();
    const start = monthStart(now);
    const today = utcDayStart(now);
    const daily: { date: string; requests: number; tokens: number }[] = [];
    let thisMonth = 0;
    let prompt = 0;
    let completion = 0;
    for (let t = start; t <= today; t += DAY_MS) {
      const d = this.days.get(t) ?? { requests: 0, prompt: 0, completion: 0 };
      daily.push({ date: utcDate(t), requests: d.requests, tokens: d.prompt + d.completion });
      thisMonth += d.requests;
      prompt += d.prompt;
      completion += d.completion;
    }
    const byEndpoint = [...(this.endpoints.get(start)?.values() ?? [])]
      .map((e) => ({ operationId: e.operationId, method: e.method, path: e.path, count: e.count }))
      .sort((a, b) => b.count - a.count || a.operationId.localeCompare(b.operationId));
    return {
      period: { start: isoSeconds(start), end: isoSeconds(nextMonthStart(now)) },
      requests: { today: daily[daily.length - 1].requests, thisMonth },
      tokens: { prompt, completion, total: prompt + completion },
      byEndpoint,
      daily,
    };
  }
}
