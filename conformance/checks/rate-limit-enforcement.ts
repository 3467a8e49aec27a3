// rate-limit-enforcement (D7): with the exhaust key, spend the burst quickly (at most the
// advertised Remaining + 5 requests; without Remaining, a bounded multiple of Limit) and
// expect 429 RATE_LIMITED once Remaining has reached 0 (never before), with `Retry-After` equal to `X-RateLimit-RetryAfter` and at least 1, and
// `details.window` (burst or day); then wait Retry-After and expect the next request admitted.
// Limits: waits at most `rateLimit.maxWaitMs` (else the admission case is skipped with the
// reason); a key whose daily quota is spent can only show the 429 part. The error code itself
// is error-envelope's; the falling of Remaining is rate-limit-headers'.
import type { Check, CheckContext, Exchange } from '../types.ts';
import { caseName, cheapGet, errorOf, headerInt } from './util.ts';

const MARGIN = 5;
/** Without X-RateLimit-Remaining (rate-limit-headers' finding), the burst is unknown: try up to
 * FALLBACK_FACTOR x X-RateLimit-Limit (D7's bursts are at most twice perMinute), bounded. */
const FALLBACK_FACTOR = 3;
const FALLBACK_NO_LIMIT = 150;
const FALLBACK_CAP = 600;

/** How many requests may pass before a 429 is due, from the first answer's headers. */
export function exhaustBudget(first: Exchange): { budget: number; basis: string } {
  const remaining = headerInt(first, 'x-ratelimit-remaining');
  if (remaining !== undefined) return { budget: remaining + MARGIN, basis: `the first answer said X-RateLimit-Remaining: ${remaining}` };
  const limit = headerInt(first, 'x-ratelimit-limit');
  const budget = Math.min(FALLBACK_CAP, limit !== undefined ? FALLBACK_FACTOR * limit + MARGIN : FALLBACK_NO_LIMIT);
  return { budget, basis: `the first answer had no X-RateLimit-Remaining, so up to ${budget} requests were tried` };
}

async function exhaust(ctx: CheckContext, path: string, operationId: string) {
  const first = await ctx.send({ method: 'GET', path, auth: 'exhaust', operationId }, { retryOn429: false });
  const { budget, basis } = exhaustBudget(first);
  const trail: Exchange[] = [first];
  while (trail[trail.length - 1].response?.status !== 429 && trail.length <= budget && !ctx.signal.aborted) {
    const ex = await ctx.send({ method: 'GET', path, auth: 'exhaust', operationId }, { retryOn429: false });
    trail.push(ex);
    if (!ex.response) break;
  }
  return { trail, budget, basis };
}

function judge429(ctx: CheckContext, name: string, limited: Exchange, prev: Exchange | undefined, trail: Exchange[]): boolean {
  let ok = true;
  const fail = (message: string, pointer: string, expected?: string, actual?: string) => {
    ok = false;
    ctx.fail({ operationId: name, exchange: limited, message, pointer, expected, actual });
  };
  const retryAfter = limited.response!.headers['retry-after'];
  const xRetry = limited.response!.headers['x-ratelimit-retryafter'];
  if (retryAfter === undefined) fail('the 429 has no Retry-After header (D7: 429 adds Retry-After)', '/headers/retry-after');
  else if (!/^\d+$/.test(retryAfter.trim()) || Number(retryAfter) < 1) fail(`Retry-After "${retryAfter}" is not whole seconds >= 1`, '/headers/retry-after', '>= 1', retryAfter);
  else if (xRetry !== undefined && xRetry.trim() !== retryAfter.trim()) fail(`Retry-After ${retryAfter} differs from X-RateLimit-RetryAfter ${xRetry} (D7: the same value)`, '/headers/retry-after', xRetry, retryAfter);
  const details = errorOf(limited)?.details;
  const window = details?.window;
  if (window !== 'burst' && window !== 'day') fail(`the 429's error.details.window is ${JSON.stringify(window)}; D7 wants "burst" or "day"`, '/error/details/window', 'burst | day', JSON.stringify(window));
  if (details?.retryAfter !== undefined && retryAfter !== undefined && String(details.retryAfter) !== retryAfter.trim()) {
    fail(`error.details.retryAfter ${details.retryAfter} differs from Retry-After ${retryAfter}`, '/error/details/retryAfter', retryAfter, String(details.retryAfter));
  }
  const before = prev ? headerInt(prev, 'x-ratelimit-remaining') : undefined;
  if (before !== undefined && before >= 1 && remainingFell(trail)) {
    fail(`429 although the previous response said X-RateLimit-Remaining: ${before}; D7: a request is admitted while Remaining >= 1`, '/status', 'admitted', '429');
  }
  return ok;
}

/** Whether Remaining fell along the trail (if not, rate-limit-headers reports it, not us). */
function remainingFell(trail: Exchange[]): boolean {
  const values = trail.map((e) => headerInt(e, 'x-ratelimit-remaining')).filter((v): v is number => v !== undefined);
  return values.length < 2 || values[values.length - 1] < values[0];
}

async function admission(ctx: CheckContext, name: string, limited: Exchange, path: string, operationId: string): Promise<void> {
  const wait = Number(limited.response!.headers['retry-after'] ?? limited.response!.headers['x-ratelimit-retryafter']);
  if (!Number.isFinite(wait) || wait < 1) return ctx.skip(name, 'no usable Retry-After to wait for');
  if (wait * 1000 > ctx.config.rateLimit.maxWaitMs) {
    return ctx.skip(name, `Retry-After is ${wait} s, longer than the ${ctx.config.rateLimit.maxWaitMs} ms this run may wait (rateLimit.maxWaitMs); window ${JSON.stringify(errorOf(limited)?.details?.window)}`);
  }
  await ctx.sleep(wait * 1000 + 250);
  const again = await ctx.send({ method: 'GET', path, auth: 'exhaust', operationId }, { retryOn429: false });
  if (again.response?.status === 429) {
    ctx.fail({ operationId: name, exchange: again, pointer: '/status', message: `still 429 after waiting the ${wait} s Retry-After said; D7: a request is admitted once it has passed`, expected: 'admitted (2xx)', actual: '429' });
  } else if (again.response && again.response.status >= 200 && again.response.status < 300) {
    ctx.pass(name);
  } else {
    ctx.skip(name, `the request after waiting got ${again.response?.status ?? again.error?.message}, which says nothing about admission`);
  }
}

export const rateLimitEnforcement: Check = {
  id: 'rate-limit-enforcement',
  title: 'Rate limits are enforced',
  description: 'Spending the exhaust key\'s burst gives 429 RATE_LIMITED (not before Remaining reaches 0) with Retry-After == X-RateLimit-RetryAfter >= 1 and details.window; after waiting Retry-After a request is admitted (D7).',
  needs: ['exhaust'],
  group: 'exhaust-key',
  async run(ctx) {
    const op = cheapGet(ctx.operations());
    if (!op) return ctx.skip('exhaust', 'no authenticated GET operation without parameters to probe with');
    const name = caseName(op, '429 when exhausted');
    const { trail, basis } = await exhaust(ctx, op.path, op.operationId);
    const idx = trail.findIndex((e) => e.response?.status === 429);
    if (idx < 0) {
      const last = trail[trail.length - 1];
      if (!last.response) return ctx.skip(name, `no answer to judge: ${last.error?.message}`);
      return ctx.fail({ operationId: name, exchange: last, pointer: '/status', message: `no 429 after ${trail.length} requests of the exhaust key, although ${basis}`, expected: '429 within Remaining + 5 requests', actual: String(last.response.status) });
    }
    const limited = trail[idx];
    if (judge429(ctx, name, limited, trail[idx - 1], trail.slice(0, idx))) ctx.pass(name);
    await admission(ctx, caseName(op, 'admitted after Retry-After'), limited, op.path, op.operationId);
  },
};
