// rate-limit-headers (D7). Passive: every authenticated response (any status but 401) carries
// X-RateLimit-Limit, -Remaining, -Reset and -RetryAfter as non-negative integers; RetryAfter is
// 0 while Remaining >= 1 and >= 1 when it is 0; Reset is epoch seconds between now and one day
// ahead; 401 responses and unauthenticated operations (/health) carry none.
// Active: consecutive requests of the exhaust key (used by nothing else) make Remaining fall by
// one each, allowing for what the bucket can refill in the elapsed time (Limit per minute).
// Limits: clock comparison tolerates `clockSkewMs`; the sequence needs the exhaust key.
import type { Check, CheckContext, Exchange, FindingInput } from '../types.ts';
import { caseName, cheapGet, headerInt, sentWithKey } from './util.ts';

const NAMES = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-retryafter'];
const DAY_S = 86_400;
const SEQUENCE = 6;

function inspectHeaders(skewMs: number, ex: Exchange, authenticatedOp: boolean): FindingInput[] {
  const res = ex.response!;
  const present = NAMES.filter((n) => res.headers[n] !== undefined);
  if (res.status === 401 || !authenticatedOp) {
    const why = res.status === 401 ? '401 responses' : 'operations without authentication (/health)';
    return present.length ? [{ message: `${present.join(', ')} present on a ${res.status}; D7: ${why} carry no rate-limit headers`, pointer: `/headers/${present[0]}` }] : [];
  }
  if (!sentWithKey(ex)) return [];
  const out: FindingInput[] = [];
  for (const n of NAMES) {
    const v = res.headers[n];
    if (v === undefined) out.push({ message: `${n} is missing from an authenticated ${res.status} response (D7: every authenticated response carries it)`, pointer: `/headers/${n}` });
    else if (!/^\d+$/.test(v.trim())) out.push({ message: `${n} "${v}" is not a non-negative integer`, pointer: `/headers/${n}`, actual: v });
  }
  if (out.length) return out;
  const remaining = headerInt(ex, 'x-ratelimit-remaining')!;
  const retry = headerInt(ex, 'x-ratelimit-retryafter')!;
  const reset = headerInt(ex, 'x-ratelimit-reset')!;
  if (remaining >= 1 && retry !== 0) out.push({ message: `X-RateLimit-RetryAfter is ${retry} while X-RateLimit-Remaining is ${remaining}; D7: 0 while requests remain`, pointer: '/headers/x-ratelimit-retryafter', expected: '0', actual: String(retry) });
  if (remaining === 0 && retry < 1) out.push({ message: 'X-RateLimit-RetryAfter is 0 while X-RateLimit-Remaining is 0; it must say how long to wait (>= 1)', pointer: '/headers/x-ratelimit-retryafter' });
  const now = Date.now() / 1000;
  const skew = skewMs / 1000;
  if (reset < now - skew || reset > now + DAY_S + skew) {
    out.push({ message: `X-RateLimit-Reset ${reset} is not epoch seconds between now (${Math.floor(now)}) and one day ahead`, pointer: '/headers/x-ratelimit-reset', actual: String(reset) });
  }
  return out;
}

async function sequence(ctx: CheckContext): Promise<void> {
  const op = cheapGet(ctx.operations());
  if (!op) return ctx.skip('sequence', 'no authenticated GET operation without parameters to probe with');
  const name = caseName(op, 'Remaining falls by one');
  const seen: { ex: Exchange; remaining: number; limit: number; at: number }[] = [];
  for (let i = 0; i < SEQUENCE; i++) {
    const ex = await ctx.send({ method: 'GET', path: op.path, auth: 'exhaust', operationId: op.operationId }, { retryOn429: i === 0 });
    const remaining = headerInt(ex, 'x-ratelimit-remaining');
    const limit = headerInt(ex, 'x-ratelimit-limit');
    if (!ex.response || ex.response.status === 429 || remaining === undefined || limit === undefined) break;
    seen.push({ ex, remaining, limit, at: ex.sentAt });
    if (remaining === 0) break;
  }
  if (seen.length < 3) return ctx.skip(name, `only ${seen.length} usable answers with the exhaust key (it has no requests left, or the headers are missing); rerun when its bucket has refilled`);
  const elapsedS = (seen[seen.length - 1].at - seen[0].at) / 1000;
  const refill = Math.ceil((elapsedS * seen[0].limit) / 60);
  let flat = 0;
  for (let i = 1; i < seen.length; i++) {
    const delta = seen[i].remaining - seen[i - 1].remaining;
    if (delta === -1) continue;
    if (delta === 0 || (delta > 0 && delta <= refill)) { flat++; continue; }
    ctx.fail({ operationId: name, exchange: seen[i].ex, pointer: '/headers/x-ratelimit-remaining', message: `X-RateLimit-Remaining went from ${seen[i - 1].remaining} to ${seen[i].remaining} between two consecutive requests of one key; D7: it falls by one per request`, expected: String(seen[i - 1].remaining - 1), actual: String(seen[i].remaining) });
    return;
  }
  if (flat > refill) {
    ctx.fail({ operationId: name, exchange: seen[seen.length - 1].ex, pointer: '/headers/x-ratelimit-remaining', message: `X-RateLimit-Remaining did not fall on ${flat} of ${seen.length - 1} consecutive requests (${seen.map((s) => s.remaining).join(' → ')}); at ${seen[0].limit}/min at most ${refill} refill(s) fit in ${elapsedS.toFixed(2)} s` });
    return;
  }
  ctx.pass(name);
}

export const rateLimitHeaders: Check = {
  id: 'rate-limit-headers',
  title: 'Rate-limit headers',
  description: 'X-RateLimit-* present and integral on every authenticated response, absent on 401 and /health; Remaining falls by one per request; Reset plausible; RetryAfter 0 while requests remain (D7).',
  group: 'exhaust-key',
  inspect(ctx, ex) {
    if (!ex.response) return [];
    const op = ex.operationId ? ctx.spec.operation(ex.operationId) : undefined;
    return inspectHeaders(ctx.config.clockSkewMs, ex, op ? op.authenticated : true);
  },
  async run(ctx) {
    if (!ctx.config.keys.exhaust) return ctx.skip('sequence', 'needs the exhaust key (--key exhaust=... or CHAOZCODE_KEY_EXHAUST): one used by nothing else');
    await sequence(ctx);
  },
};
