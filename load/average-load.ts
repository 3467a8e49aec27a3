// Average load: a realistic mix across the areas, one named scenario per traffic kind, each at a
// constant arrival rate: mostly queries and memory searches, some memory writes (store, read,
// update, delete), light reads, codebase calls, agent spawns and streams. Thresholds: the error
// rate (a well-formed 429 is expected, not an error: see treat429AsExpected), checks, and p95
// latency per area (tag `area`), plus time to first stream event.
// Run: k6 run load/average-load.ts   (BASE_URL, KEY, PLAN, DURATION, RATE_SCALE, P95_*_MS)
// Limits: the base mix is ~21 requests/s; it is scaled down so that the whole run fits the plan's
// bucket (burst + refill) with 20% to spare: PLAN must match KEY's plan (default enterprise).
import exec from 'k6/execution';
import type { Options, Scenario } from 'k6/options';
import { DEMO_KEYS, durationSeconds, p95Budget, perMinute, planScale, readConfig } from './lib/config.ts';
import { uniqueSuffix } from './lib/operations.ts';
import type { OpContext } from './lib/operations.ts';
import { checkAnswer, field, send, treat429AsExpected } from './lib/api.ts';
import { checkStreamAnswer } from './lib/stream-checks.ts';
import { summaryOutputs } from './lib/summary.ts';
import type { SummaryData } from './lib/summary.ts';

const cfg = readConfig(__ENV, { key: DEMO_KEYS.enterprise, plan: 'enterprise', duration: '90s', vus: 10 });
treat429AsExpected();

/** Requests per second of each scenario at scale 1, and requests per iteration. */
const MIX: { [name: string]: { perSecond: number; requestsPerIteration: number } } = {
  queries: { perSecond: 6, requestsPerIteration: 1 },
  memory_search: { perSecond: 6, requestsPerIteration: 1 },
  memory_writes: { perSecond: 1, requestsPerIteration: 4 },
  reads: { perSecond: 2, requestsPerIteration: 1 },
  codebase: { perSecond: 1, requestsPerIteration: 1 },
  agents: { perSecond: 0.5, requestsPerIteration: 2 },
  streams: { perSecond: 1, requestsPerIteration: 1 },
};

const seconds = durationSeconds(cfg.duration);
const basePerSecond = Object.keys(MIX).reduce((s, k) => s + MIX[k].perSecond * MIX[k].requestsPerIteration, 0);
const scale = planScale(cfg, basePerSecond, seconds);

function scenario(name: string): Scenario {
  return {
    executor: 'constant-arrival-rate',
    exec: name,
    rate: perMinute(MIX[name].perSecond, scale),
    timeUnit: '1m',
    duration: cfg.duration,
    preAllocatedVUs: name === 'streams' ? Math.max(2, Math.ceil(cfg.vus / 2)) : 2,
    maxVUs: Math.max(4, cfg.vus * 2),
  };
}

const scenarios: { [name: string]: Scenario } = {};
for (const name of Object.keys(MIX)) scenarios[name] = scenario(name);

export const options: Options = {
  scenarios,
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    'http_req_duration{area:query}': [`p(95)<${p95Budget(__ENV, 'query', 500)}`],
    'http_req_duration{area:memory}': [`p(95)<${p95Budget(__ENV, 'memory', 500)}`],
    'http_req_duration{area:codebase}': [`p(95)<${p95Budget(__ENV, 'codebase', 500)}`],
    'http_req_duration{area:agents}': [`p(95)<${p95Budget(__ENV, 'agents', 500)}`],
    'http_req_duration{area:user}': [`p(95)<${p95Budget(__ENV, 'user', 500)}`],
    'http_req_duration{area:projects}': [`p(95)<${p95Budget(__ENV, 'projects', 500)}`],
    stream_time_to_first_event: [`p(95)<${p95Budget(__ENV, 'first_event', 1000)}`],
    stream_completed: ['rate>0.99'],
  },
};

function ctx(): OpContext {
  return { unique: uniqueSuffix(Date.now(), exec.vu.idInTest, exec.vu.iterationInScenario), webhookUrl: cfg.webhookUrl };
}

/** Sends one operation and checks it; a well-formed 429 passes (and is counted). */
function run(opId: string, c: OpContext): void {
  checkAnswer(send(cfg, opId, c), cfg, { allow429: true });
}

/** Round robin over the scenario's iterations, so that every operation is sampled. */
function turn(ops: string[]): string {
  return ops[exec.scenario.iterationInTest % ops.length];
}

export function queries(): void {
  run(Math.random() < 0.7 ? 'createQuery' : 'createChatCompletion', ctx());
}

export function memory_search(): void {
  run(Math.random() < 0.8 ? 'searchMemories' : 'buildMemoryContext', ctx());
}

export function memory_writes(): void {
  const c = ctx();
  c.memoryId = `k6-load-${c.unique}`;
  const stored = send(cfg, 'storeMemory', c);
  checkAnswer(stored, cfg, { allow429: true });
  if (field(stored.res, 'id') === '') return;
  run('getMemory', c);
  run('updateMemory', c);
  run('deleteMemory', c);
}

export function reads(): void {
  run(turn(['listModels', 'getCurrentUser', 'getMemoryStats', 'listProjects', 'getUsage', 'listAgentTypes']), ctx());
}

export function codebase(): void {
  run(turn(['reviewCode', 'analyzeCodebase', 'reviewCode', 'generateCode', 'fixCode']), ctx());
}

export function agents(): void {
  const c = ctx();
  const spawned = send(cfg, 'spawnAgent', c);
  checkAnswer(spawned, cfg, { allow429: true });
  const agentId = field(spawned.res, 'agentId');
  if (agentId !== '') run('getAgent', { ...c, agentId });
}

export function streams(): void {
  checkStreamAnswer(send(cfg, 'streamQuery', ctx()), cfg);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs('average-load', cfg.resultsDir, data);
}
