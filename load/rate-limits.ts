// Rate limits (D7): one scenario per plan (free, pro, team, enterprise), each one VU with its
// plan's key sending GET /models back to back, one request per iteration, until the first 429;
// then it waits Retry-After seconds and expects to be admitted again. Every response is judged:
// headers integral, Limit = perMinute, RetryAfter 0 exactly while Remaining >= 1, a fresh bucket
// full, a 429 only once Remaining has reached 0, Retry-After = X-RateLimit-RetryAfter >= 1 and the
// RATE_LIMITED envelope. Against the mock the buckets are reset before and after the run (RESET).
// Run: k6 run load/rate-limits.ts   (BASE_URL, KEY_FREE/PRO/TEAM/ENTERPRISE, PLANS, RESET)
// Limits: sequential requests per key, and nobody else may use these keys meanwhile; iterations are
// capped at 2 x burst + 20 (a 429 must arrive before, i.e. requests must be faster than half the
// refill interval); a daily-quota 429 (free plan, no reset) is checked but not waited out.
import http from 'k6/http';
import { sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import type { Options, Scenario } from 'k6/options';
import { PLAN_LIMITS, PLAN_NAMES, durationSeconds, mask, readConfig } from './lib/config.ts';
import type { PlanName } from './lib/config.ts';
import { record, treat429AsExpected } from './lib/api.ts';
import { resetMock, wantsReset } from './lib/control.ts';
import { header, judgeDriveStep, newDriveState, readRateHeaders } from './lib/rate-rules.ts';
import type { DriveState } from './lib/rate-rules.ts';
import { parseObject } from './lib/shapes.ts';
import { summaryOutputs } from './lib/summary.ts';
import type { SummaryData } from './lib/summary.ts';

const cfg = readConfig(__ENV, { key: '', plan: 'pro', duration: '3m', vus: 1 });
treat429AsExpected();

/** PLANS=free,pro limits the run to some plans; a plan whose key is '' is skipped. */
const wanted = (__ENV.PLANS ?? PLAN_NAMES.join(',')).split(',').map((p) => p.trim()).filter((p) => p !== '');
for (const p of wanted) if (!(PLAN_NAMES as string[]).includes(p)) throw new Error(`PLANS must list plans of ${PLAN_NAMES.join(', ')} (got "${p}")`);
const plans = PLAN_NAMES.filter((p) => wanted.includes(p) && cfg.planKeys[p] !== '');
if (plans.length === 0) throw new Error('no plan to drive: set PLANS and the KEY_<PLAN> variables');

/** Longest Retry-After this script waits out (a daily window can be hours). */
const MAX_WAIT_S = 90;
const cap = (p: PlanName): number => PLAN_LIMITS[p].burst * 2 + 20;

const first429 = new Counter('rate_limit_first_429');
const recovered = new Counter('rate_limit_recovered');

const scenarios: { [name: string]: Scenario } = {};
const thresholds: { [name: string]: string[] } = {
  checks: ['rate==1'],
  http_req_failed: ['rate==0'],
};
for (const p of plans) {
  scenarios[p] = { executor: 'per-vu-iterations', exec: 'drive', vus: 1, iterations: cap(p), maxDuration: cfg.duration };
  thresholds[`rate_limit_first_429{plan:${p}}`] = ['count==1'];
  thresholds[`rate_limit_recovered{plan:${p}}`] = ['count==1'];
}

export const options: Options = { scenarios, thresholds };

interface SetupData {
  fresh: boolean;
}

export function setup(): SetupData {
  for (const p of plans) console.info(`plan ${p}: key ${mask(cfg.planKeys[p])}, burst ${PLAN_LIMITS[p].burst}, ${PLAN_LIMITS[p].perMinute}/min, at most ${cap(p)} requests`);
  return { fresh: wantsReset(cfg) && resetMock(cfg) };
}

export function teardown(data: SetupData): void {
  // Leave the mock's buckets full for whatever runs next (state is reset too: it is the mock).
  if (data.fresh) resetMock(cfg);
}

/** One plan's view, kept per plan in case k6 hands a VU from one scenario to another. */
const states: { [plan: string]: DriveState } = {};
const finished: { [plan: string]: boolean } = {};
/** Seconds before the scenario's maxDuration by which a 429 must have come (leaves time to recover). */
const deadlineMs = Math.max(30, durationSeconds(cfg.duration) - MAX_WAIT_S / 3) * 1000;

function sendModels(key: string, p: PlanName) {
  return http.get(`${cfg.baseUrl}/models`, {
    headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' },
    tags: { area: 'query', op: 'listModels', name: 'GET /models', plan: p },
    responseType: 'text',
  });
}

/** After the first 429: wait Retry-After (if short enough), then the key must be admitted again. */
function recover(p: PlanName, key: string, retryAfter: number, window: string): void {
  const tags = { plan: p };
  if (window === 'day' || retryAfter > MAX_WAIT_S) {
    console.warn(`plan ${p}: the 429 is for the ${window} window (Retry-After ${retryAfter}s); not waiting it out`);
    recovered.add(1, tags);
    return;
  }
  sleep(retryAfter);
  const res = sendModels(key, p);
  const h = readRateHeaders(res.headers);
  const ok = record([{ name: 'drive: admitted again after waiting Retry-After', ok: res.status === 200, detail: `plan ${p}: status ${res.status} after ${retryAfter}s, Remaining ${h.remaining}` }], tags, `plan ${p}`);
  if (ok) recovered.add(1, tags);
}

export function drive(data: SetupData): void {
  const p = exec.scenario.name as PlanName;
  if (finished[p]) return;
  const key = cfg.planKeys[p];
  const limits = PLAN_LIMITS[p];
  const state = states[p] ?? (states[p] = newDriveState(data.fresh));
  const res = sendModels(key, p);
  const tags = { plan: p };
  record(judgeDriveStep(state, res.status, res.headers, res.body, limits, Math.floor(Date.now() / 1000)), tags, `plan ${p} request ${state.sent}`);
  if (res.status === 429) {
    first429.add(1, tags);
    finished[p] = true;
    if (data.fresh) {
      const n = state.sent;
      record([{ name: 'drive: first 429 only after more than burst requests', ok: n > limits.burst, detail: `plan ${p}: 429 at request ${n}, burst ${limits.burst}` }], tags, `plan ${p}`);
    }
    const retryAfter = Number(header(res.headers, 'Retry-After') ?? '1');
    const error = parseObject(res.body)?.error as { details?: { window?: unknown } } | undefined;
    const window = error?.details?.window === 'day' ? 'day' : 'burst';
    recover(p, key, Number.isFinite(retryAfter) && retryAfter >= 1 ? retryAfter : 1, window);
    return;
  }
  const outOfRequests = exec.scenario.iterationInTest + 1 >= cap(p);
  const outOfTime = Date.now() - exec.scenario.startTime > deadlineMs;
  if (outOfRequests || outOfTime) {
    finished[p] = true;
    const why = outOfTime ? `out of time after ${state.sent} requests` : `${state.sent} requests`;
    record([{ name: 'drive: a 429 arrived in time (2 x burst + 20 requests, DURATION)', ok: false, detail: `plan ${p}: ${why}, last Remaining ${String(state.prevRemaining)}` }], tags, `plan ${p}`);
  }
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs('rate-limits', cfg.resultsDir, data);
}
