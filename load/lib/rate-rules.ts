// The rate-limit rules of D7 as pure functions over status, headers and body: the four
// X-RateLimit-* headers (integers, Limit = the plan's perMinute, RetryAfter 0 exactly while
// Remaining >= 1), and for a key driven past its burst: a 429 only once Remaining has reached 0,
// with Retry-After = X-RateLimit-RetryAfter >= 1 and the RATE_LIMITED envelope. No k6 imports.
// Limits: judges one client's sequential view; another client using the same key at the same time
// can drain the bucket in between and make a correct server look wrong.
import type { PlanLimits } from './config.ts';
import type { NamedCheck } from './sse.ts';

export type Headers = { [name: string]: string | string[] | undefined };

/** Case-insensitive header lookup (k6 canonicalises names: `X-Ratelimit-Limit`). */
export function header(headers: Headers, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === want) {
      const v = headers[k];
      return Array.isArray(v) ? v.join(', ') : v;
    }
  }
  return undefined;
}

export interface RateHeaders {
  limit: number | null;
  remaining: number | null;
  reset: number | null;
  retryAfter: number | null;
}

function integer(v: string | undefined): number | null {
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
}

export function readRateHeaders(headers: Headers): RateHeaders {
  return {
    limit: integer(header(headers, 'X-RateLimit-Limit')),
    remaining: integer(header(headers, 'X-RateLimit-Remaining')),
    reset: integer(header(headers, 'X-RateLimit-Reset')),
    retryAfter: integer(header(headers, 'X-RateLimit-RetryAfter')),
  };
}

function check(name: string, ok: boolean, detail: string): NamedCheck {
  return { name, ok, detail: ok ? '' : detail };
}

/** The header rules every authenticated response must meet (D7). */
export function rateHeaderChecks(headers: Headers, nowSec: number): NamedCheck[] {
  const h = readRateHeaders(headers);
  const all = h.limit !== null && h.remaining !== null && h.reset !== null && h.retryAfter !== null;
  const out = [check('rate headers: four X-RateLimit-* integers', all, `got ${JSON.stringify(h)}`)];
  if (!all) return out;
  // Reset is when Remaining is full again: now or later, and within a day (the daily window).
  out.push(check('rate headers: Reset is epoch seconds, now to +1 day', (h.reset as number) >= nowSec - 120 && (h.reset as number) <= nowSec + 90000, `reset ${h.reset} vs now ${nowSec}`));
  out.push(check('rate headers: RetryAfter is 0 exactly while Remaining >= 1', ((h.remaining as number) >= 1) === (h.retryAfter === 0), `remaining ${h.remaining}, retryAfter ${h.retryAfter}`));
  return out;
}

function errorBody(body: string | null): { code?: unknown; requestId?: unknown; details?: Record<string, unknown> } | null {
  if (body === null) return null;
  try {
    const v = JSON.parse(body) as { error?: unknown };
    const e = v && typeof v === 'object' ? v.error : undefined;
    return e && typeof e === 'object' ? (e as { code?: unknown; details?: Record<string, unknown> }) : null;
  } catch {
    return null;
  }
}

/** The 429 rules of D7: Retry-After, the headers, and the RATE_LIMITED body. */
export function rateLimitedChecks(headers: Headers, body: string | null, limits: PlanLimits): NamedCheck[] {
  const h = readRateHeaders(headers);
  const retryAfter = integer(header(headers, 'Retry-After'));
  const e = errorBody(body);
  const d = e && e.details && typeof e.details === 'object' ? e.details : {};
  const window = d.window;
  const windowLimit = window === 'day' ? limits.perDay : limits.perMinute;
  return [
    check('429: Retry-After = X-RateLimit-RetryAfter >= 1', retryAfter !== null && retryAfter >= 1 && retryAfter === h.retryAfter, `Retry-After ${String(header(headers, 'Retry-After'))}, X-RateLimit-RetryAfter ${h.retryAfter}`),
    check('429: Remaining is 0', h.remaining === 0, `remaining ${h.remaining}`),
    check('429: body is RATE_LIMITED', e !== null && e.code === 'RATE_LIMITED', `code ${String(e && e.code)}`),
    check('429: details {window, limit, retryAfter} agree with the headers', (window === 'burst' || window === 'day') && d.retryAfter === retryAfter && d.limit === windowLimit, `details ${JSON.stringify(d)}`),
  ];
}

/** What one client has seen of one key so far (rate-limits.ts keeps one per plan). */
export interface DriveState {
  /** Remaining of the previous response, null before the first. */
  prevRemaining: number | null;
  /** Whether the bucket was reset just before (then it must start full). */
  fresh: boolean;
  sent: number;
  first429At: number | null;
}

export function newDriveState(fresh: boolean): DriveState {
  return { prevRemaining: null, fresh, sent: 0, first429At: null };
}

/**
 * Judges one response of a key being driven past its burst and advances the state. Sequential
 * requests only: Remaining >= 1 after a response means a whole token was there, and tokens only
 * grow with time, so the next request must be admitted.
 */
export function judgeDriveStep(state: DriveState, status: number, headers: Headers, body: string | null, limits: PlanLimits, nowSec: number): NamedCheck[] {
  const h = readRateHeaders(headers);
  const out: NamedCheck[] = [check('drive: status is 2xx or 429', (status >= 200 && status < 300) || status === 429, `status ${status}`)];
  out.push(...rateHeaderChecks(headers, nowSec));
  out.push(check('drive: Limit is the plan perMinute', h.limit === limits.perMinute, `limit ${h.limit}, plan ${limits.perMinute}`));
  out.push(check('drive: Remaining never exceeds burst', h.remaining !== null && h.remaining <= limits.burst, `remaining ${h.remaining}, burst ${limits.burst}`));
  if (state.prevRemaining === null && state.fresh && status !== 429) {
    out.push(check('drive: a fresh bucket starts full (Remaining = burst - 1)', h.remaining === limits.burst - 1, `remaining ${h.remaining}, burst ${limits.burst}`));
  }
  if (status === 429) {
    const allowed = state.prevRemaining === 0 || (state.prevRemaining === null && !state.fresh);
    out.push(check('drive: 429 only after Remaining reached 0', allowed, `previous Remaining ${String(state.prevRemaining)}`));
    out.push(...rateLimitedChecks(headers, body, limits));
    if (state.first429At === null) state.first429At = state.sent + 1;
  }
  state.sent++;
  state.prevRemaining = h.remaining;
  return out;
}

/**
 * Requests needed to see a 429 at the latest, with `msPerRequest` of latency: the bucket's burst
 * plus what refills meanwhile. Infinity when requests are slower than the refill.
 */
export function requestsToDrain(limits: PlanLimits, msPerRequest: number): number {
  const refillPerRequest = (limits.perMinute / 60000) * msPerRequest;
  return refillPerRequest >= 1 ? Infinity : Math.ceil(limits.burst / (1 - refillPerRequest)) + 1;
}
