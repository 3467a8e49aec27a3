// Soak: a steady, sustainable rate on POST /query and POST /memory/search for a long time
// (default 10 minutes), to surface leaks, creeping latency and errors that only show with time.
// Two named scenarios at a constant arrival rate; thresholds on the error rate, checks, and p95/p99
// per path. Longer: DURATION=1h k6 run load/soak.ts (the rate adapts to stay under the plan).
// Run: k6 run load/soak.ts   (BASE_URL, KEY, PLAN, DURATION, RATE_SCALE, P95_QUERY_MS, P95_MEMORY_MS)
// Limits: the default 8 requests/s is half the enterprise refill (1000/min), so the bucket never
// drains however long the soak runs; for other plans PLAN scales it to 80% of what the plan allows.
import type { Options } from 'k6/options';
import { DEMO_KEYS, durationSeconds, perMinute, planScale, readConfig } from './lib/config.ts';
import { treat429AsExpected } from './lib/api.ts';
import { hitQuery, hitSearch, hotPathThresholds } from './lib/hot-paths.ts';
import { summaryOutputs } from './lib/summary.ts';
import type { SummaryData } from './lib/summary.ts';

const cfg = readConfig(__ENV, { key: DEMO_KEYS.enterprise, plan: 'enterprise', duration: '10m', vus: 4 });
treat429AsExpected();

const PER_PATH = 4;
const scale = planScale(cfg, PER_PATH * 2, durationSeconds(cfg.duration));

export const options: Options = {
  scenarios: {
    soak_query: { executor: 'constant-arrival-rate', exec: 'soakQuery', rate: perMinute(PER_PATH, scale), timeUnit: '1m', duration: cfg.duration, preAllocatedVUs: cfg.vus, maxVUs: cfg.vus * 5 },
    soak_search: { executor: 'constant-arrival-rate', exec: 'soakSearch', rate: perMinute(PER_PATH, scale), timeUnit: '1m', duration: cfg.duration, preAllocatedVUs: cfg.vus, maxVUs: cfg.vus * 5 },
  },
  thresholds: hotPathThresholds(__ENV, 500, 500),
};

export function soakQuery(): void {
  hitQuery(cfg);
}

export function soakSearch(): void {
  hitSearch(cfg);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs('soak', cfg.resultsDir, data);
}
