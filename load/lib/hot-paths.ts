// The two hot paths that soak.ts and spike.ts exercise: POST /query and POST /memory/search, each
// sent and checked (a well-formed 429 passes and is counted in `rate_limited`), plus the thresholds
// both scripts share. k6 side.
// Limits: no memory writes: a long soak would otherwise grow the target's state without bound.
import exec from 'k6/execution';
import type { LoadConfig } from './config.ts';
import { p95Budget } from './config.ts';
import { uniqueSuffix } from './operations.ts';
import { checkAnswer, send } from './api.ts';

function unique(): string {
  return uniqueSuffix(Date.now(), exec.vu.idInTest, exec.vu.iterationInScenario);
}

export function hitQuery(cfg: LoadConfig): void {
  checkAnswer(send(cfg, 'createQuery', { unique: unique(), webhookUrl: cfg.webhookUrl }), cfg, { allow429: true });
}

export function hitSearch(cfg: LoadConfig): void {
  checkAnswer(send(cfg, 'searchMemories', { unique: unique(), webhookUrl: cfg.webhookUrl }), cfg, { allow429: true });
}

/** Error rate, checks, p95 and p99 of both paths (tags `op`), budgets from P95_*_MS. */
export function hotPathThresholds(env: { [k: string]: string | undefined }, p95Query: number, p95Search: number): { [metric: string]: string[] } {
  const q = p95Budget(env, 'query', p95Query);
  const m = p95Budget(env, 'memory', p95Search);
  return {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    'http_req_duration{op:createQuery}': [`p(95)<${q}`, `p(99)<${q * 2}`],
    'http_req_duration{op:searchMemories}': [`p(95)<${m}`, `p(99)<${m * 2}`],
  };
}
