// Spike: a short baseline on POST /query and POST /memory/search, a sudden rise to 15x, a hold,
// the drop, and a recovery period at the baseline (ramping-arrival-rate, one named scenario per
// path). Thresholds on the error rate, checks and p95/p99 per path, so the run fails if the target
// slows down or errs under the spike or does not recover.
// Run: k6 run load/spike.ts   (BASE_URL, KEY, PLAN, RATE_SCALE, P95_QUERY_MS, P95_MEMORY_MS)
// Limits: 65 s and about 1,700 requests at the default peak of 30/s per path, inside the enterprise
// bucket (burst 2,000 plus refill); PLAN scales the whole shape down for smaller plans. DURATION is
// not used: the shape is the test.
import type { Options, Scenario } from 'k6/options';
import { DEMO_KEYS, budgetPerSecond, readConfig } from './lib/config.ts';
import { treat429AsExpected } from './lib/api.ts';
import { hitQuery, hitSearch, hotPathThresholds } from './lib/hot-paths.ts';
import { summaryOutputs } from './lib/summary.ts';
import type { SummaryData } from './lib/summary.ts';

const cfg = readConfig(__ENV, { key: DEMO_KEYS.enterprise, plan: 'enterprise', duration: '65s', vus: 10 });
treat429AsExpected();

const BASE = 2;
const PEAK = 30;
/** [seconds, target rate per second per path]. */
const SHAPE: Array<[number, number]> = [[10, BASE], [5, PEAK], [20, PEAK], [5, BASE], [25, BASE]];
const TOTAL_S = SHAPE.reduce((s, [d]) => s + d, 0);
// Requests per path over the shape (linear ramps), to size the plan scale.
const perPath = SHAPE.reduce((acc, [d, target], i) => acc + d * (target + (i === 0 ? BASE : SHAPE[i - 1][1])) / 2, 0);
const scale = Math.min(1, budgetPerSecond(cfg.limits, TOTAL_S) / ((2 * perPath) / TOTAL_S)) * cfg.rateScale;
const rate = (r: number): number => Math.max(1, Math.round(r * 60 * scale));

function spike(exec: string): Scenario {
  return {
    executor: 'ramping-arrival-rate',
    exec,
    startRate: rate(BASE),
    timeUnit: '1m',
    preAllocatedVUs: cfg.vus,
    maxVUs: cfg.vus * 10,
    stages: SHAPE.map(([d, target]) => ({ duration: `${d}s`, target: rate(target) })),
  };
}

export const options: Options = {
  scenarios: { spike_query: spike('spikeQuery'), spike_search: spike('spikeSearch') },
  thresholds: hotPathThresholds(__ENV, 1000, 1000),
};

export function spikeQuery(): void {
  hitQuery(cfg);
}

export function spikeSearch(): void {
  hitSearch(cfg);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs('spike', cfg.resultsDir, data);
}
