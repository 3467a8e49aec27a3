// Streams: concurrent POST /query/stream calls (scenario `concurrent_streams`, VUS virtual users
// for DURATION), plus a few POST /query with stream:true (scenario `query_stream_flag`). Every
// answer is parsed whole as SSE events and checked by D8 (start first, done last, usage arithmetic,
// deltas non-empty); time to first event is the custom Trend `stream_time_to_first_event`.
// Run: k6 run load/stream.ts   (BASE_URL, KEY, PLAN, VUS, DURATION, P95_FIRST_EVENT_MS)
// Limits: k6 buffers a response, so per-event timing is not available; pacing keeps the request
// rate inside the plan's budget (PLAN must match KEY), which lowers concurrency for small plans.
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { DEMO_KEYS, budgetPerSecond, durationSeconds, p95Budget, readConfig } from './lib/config.ts';
import { uniqueSuffix } from './lib/operations.ts';
import { send, treat429AsExpected } from './lib/api.ts';
import { checkStreamAnswer } from './lib/stream-checks.ts';
import { summaryOutputs } from './lib/summary.ts';
import type { SummaryData } from './lib/summary.ts';

const cfg = readConfig(__ENV, { key: DEMO_KEYS.enterprise, plan: 'enterprise', duration: '30s', vus: 10 });
treat429AsExpected();

const FLAG_ITERATIONS = 10;
const seconds = durationSeconds(cfg.duration);
// Each VU waits at least `pause` seconds between streams, so that all VUs together stay inside
// the plan's budget even if streams were instant (the flag scenario's requests are counted too).
const budget = budgetPerSecond(cfg.limits, seconds) - FLAG_ITERATIONS / Math.max(seconds, 1);
const pause = Math.max(0.5, cfg.vus / Math.max(budget, 0.01));

export const options: Options = {
  scenarios: {
    concurrent_streams: { executor: 'constant-vus', exec: 'concurrentStreams', vus: cfg.vus, duration: cfg.duration, gracefulStop: '30s' },
    query_stream_flag: { executor: 'shared-iterations', exec: 'queryStreamFlag', vus: 2, iterations: FLAG_ITERATIONS, maxDuration: cfg.duration },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    stream_time_to_first_event: [`p(95)<${p95Budget(__ENV, 'first_event', 1000)}`],
    stream_completed: ['rate>0.99'],
    'http_req_duration{area:stream}': [`p(95)<${p95Budget(__ENV, 'stream', 20000)}`],
  },
};

function unique(): string {
  return uniqueSuffix(Date.now(), exec.vu.idInTest, exec.vu.iterationInScenario);
}

export function concurrentStreams(): void {
  checkStreamAnswer(send(cfg, 'streamQuery', { unique: unique(), webhookUrl: cfg.webhookUrl }), cfg);
  sleep(pause * (1 + Math.random() * 0.5));
}

export function queryStreamFlag(): void {
  const body = JSON.stringify({ prompt: 'List three ways to make an API client resilient to rate limits.', model: 'gpt-4', maxTokens: 200, stream: true });
  checkStreamAnswer(send(cfg, 'createQuery', { unique: unique(), webhookUrl: cfg.webhookUrl }, { rawBody: body, asStream: true }), cfg);
  sleep(1);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs('stream', cfg.resultsDir, data);
}
