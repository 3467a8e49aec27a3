// Runs the real k6 scripts' scenario functions against the real mock (default config) through the
// k6 emulator in load/harness (vi.mock maps `k6`, `k6/http`, `k6/metrics`, `k6/execution` to it):
// every option set is well formed, smoke calls all 35 operations with every check passing,
// each load scenario's iterations pass their checks without unexpected statuses, and
// rate-limits drives each demo key past its burst exactly as D7 says.
// Limits: the emulator is not k6 (sequential, no executor timing, no thresholds engine); a real
// `k6 run` remains the acceptance test. The mock runs in a worker thread (see harness/sync-http.ts).
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

vi.mock('k6', async () => (await import('./harness/k6-emulator.ts')).k6Module);
vi.mock('k6/http', async () => (await import('./harness/k6-emulator.ts')).httpModule);
vi.mock('k6/metrics', async () => (await import('./harness/k6-emulator.ts')).metricsModule);
vi.mock('k6/execution', async () => (await import('./harness/k6-emulator.ts')).executionModule);

import { emu, failedChecks, resetRecords, runIterations, unexpectedRequests } from './harness/k6-emulator.ts';
import { startSyncHttp, type SyncHttp } from './harness/sync-http.ts';

type ScriptModule = Record<string, unknown> & { options: { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]> } };

const IMPORTS = {
  smoke: () => import('./smoke.ts'),
  'average-load': () => import('./average-load.ts'),
  stream: () => import('./stream.ts'),
  'rate-limits': () => import('./rate-limits.ts'),
  soak: () => import('./soak.ts'),
  spike: () => import('./spike.ts'),
} as const;
const SCRIPTS = Object.keys(IMPORTS) as Array<keyof typeof IMPORTS>;
const EXECUTORS = ['shared-iterations', 'per-vu-iterations', 'constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate', 'externally-controlled'];
const THRESHOLD = /^(p\(\d+(\.\d+)?\)|avg|min|max|med|rate|count|value)\s*(<|<=|>|>=|==|===|!=)\s*\d+(\.\d+)?$/;

let bridge: SyncHttp;
let resultsDir: string;
const mods: Record<string, ScriptModule> = {};
/** Each script's http.setResponseCallback from its init stage (k6 keeps one per script). */
const callbacks: Record<string, typeof emu.callback> = {};

beforeAll(async () => {
  bridge = await startSyncHttp();
  emu.http = bridge;
  resultsDir = mkdtempSync(path.join(os.tmpdir(), 'k6-results-'));
  (globalThis as Record<string, unknown>).__ENV = { BASE_URL: `${bridge.url}/v2`, RESULTS_DIR: resultsDir };
  for (const name of SCRIPTS) {
    emu.callback = null;
    mods[name] = (await IMPORTS[name]()) as unknown as ScriptModule;
    callbacks[name] = emu.callback;
  }
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  if (resultsDir) rmSync(resultsDir, { recursive: true, force: true });
});

/** Runs a few iterations of each named scenario of a script, with fresh records. */
function runScenarios(name: string, iterations: number, data?: unknown): void {
  resetRecords();
  emu.callback = callbacks[name];
  const mod = mods[name];
  for (const [scenario, sc] of Object.entries(mod.options.scenarios)) {
    const fn = mod[String(sc.exec ?? 'default')] as (d?: unknown) => void;
    runIterations(scenario, iterations, fn, data);
  }
}

function samples(metric: string): number[] {
  return emu.samples.filter((s) => s.metric === metric).map((s) => s.value);
}

describe.each(SCRIPTS)('%s.ts options', (name) => {
  test('named scenarios with exported exec functions, bounded, and well-formed thresholds', () => {
    const mod = mods[name];
    const scenarios = Object.entries(mod.options.scenarios);
    expect(scenarios.length).toBeGreaterThan(0);
    for (const [scenario, sc] of scenarios) {
      expect(EXECUTORS, `${scenario}.executor`).toContain(sc.executor);
      expect(typeof mod[String(sc.exec)], `${scenario}.exec = ${String(sc.exec)} is exported`).toBe('function');
      const bounded = sc.duration !== undefined || sc.maxDuration !== undefined || Array.isArray(sc.stages);
      expect(bounded, `${scenario} has a duration bound`).toBe(true);
    }
    const thresholds = Object.entries(mod.options.thresholds);
    expect(thresholds.length).toBeGreaterThan(0);
    for (const [metric, list] of thresholds) {
      expect(metric).toMatch(/^[a-z_0-9]+(\{[a-z_]+:[^{}:,]+(,[a-z_]+:[^{}:,]+)*\})?$/);
      for (const t of list) expect(t, `${metric}: ${t}`).toMatch(THRESHOLD);
    }
    expect(typeof mod.handleSummary).toBe('function');
    const out = (mod.handleSummary as (d: unknown) => Record<string, string>)({ metrics: {}, root_group: { checks: [] } });
    expect(Object.keys(out)).toEqual([`${resultsDir}/${name}-summary.json`, 'stdout']);
  });
});

describe('against the mock', () => {
  test('the checks can fail: a wrong expectation and a wrong key are caught', async () => {
    const { checkAnswer, send } = await import('./lib/api.ts');
    const { readConfig } = await import('./lib/config.ts');
    resetRecords();
    emu.callback = null;
    const cfg = readConfig({ BASE_URL: `${bridge.url}/v2` }, { key: 'cc_live_demo_enterprise', plan: 'enterprise', duration: '10s', vus: 1 });
    const ctx = { unique: 'fail-probe', webhookUrl: 'http://127.0.0.1:9/x' };
    expect(checkAnswer(send(cfg, 'listModels', ctx), cfg, { status: 201 })).toBe(false);
    expect(failedChecks()).toContain('listModels: status 201 [{"scenario":"default","area":"query","op":"listModels","name":"GET /models"}]');
    resetRecords();
    expect(checkAnswer(send(cfg, 'listModels', ctx, { key: 'cc_test_not_a_real_key' }), cfg)).toBe(false);
    expect(unexpectedRequests()).toEqual([`GET ${bridge.url}/v2/models -> 401`]);
  });

  test('smoke: all 35 operations once, every check passing, no unexpected status', () => {
    runScenarios('smoke', 1);
    expect(failedChecks()).toEqual([]);
    expect(unexpectedRequests()).toEqual([]);
    const ops = new Set(emu.requests.map((r) => r.tags.op).filter(Boolean));
    expect(ops.size).toBe(35);
    expect(emu.checks.some((c) => c.name === 'smoke: all 35 operations called' && c.ok)).toBe(true);
    expect(emu.checks.filter((c) => c.tags.probe === 'error').length).toBeGreaterThan(10);
  }, 60_000);

  test('average-load: every scenario passes its checks; no 429 with the default key', () => {
    runScenarios('average-load', 2);
    expect(failedChecks()).toEqual([]);
    expect(unexpectedRequests()).toEqual([]);
    expect(emu.requests.filter((r) => r.status === 429)).toEqual([]);
    const areas = new Set(emu.requests.map((r) => r.tags.area));
    for (const a of ['query', 'memory', 'codebase', 'agents', 'stream']) expect(areas).toContain(a);
    expect(samples('stream_completed').every((v) => v === 1)).toBe(true);
  }, 60_000);

  test('stream: streams parse and pass D8; time to first event is recorded', () => {
    runScenarios('stream', 2);
    expect(failedChecks()).toEqual([]);
    expect(unexpectedRequests()).toEqual([]);
    const ttfe = samples('stream_time_to_first_event');
    expect(ttfe.length).toBe(4);
    expect(Math.max(...ttfe)).toBeLessThan(1000);
    expect(samples('stream_completed')).toEqual([1, 1, 1, 1]);
  }, 60_000);

  test.each(['soak', 'spike'])('%s: both hot paths pass their checks', (name) => {
    runScenarios(name, 3);
    expect(failedChecks()).toEqual([]);
    expect(unexpectedRequests()).toEqual([]);
    expect(new Set(emu.requests.map((r) => r.tags.op))).toEqual(new Set(['createQuery', 'searchMemories']));
  });

  test('rate-limits: each plan is driven past its burst; 429s only at Remaining 0, then admitted again', () => {
    const mod = mods['rate-limits'];
    resetRecords();
    emu.callback = callbacks['rate-limits'];
    const data = (mod.setup as () => { fresh: boolean })();
    expect(data.fresh).toBe(true);
    for (const [plan, sc] of Object.entries(mod.options.scenarios)) runIterations(plan, Number(sc.iterations), mod.drive as (d: unknown) => void, data);
    (mod.teardown as (d: unknown) => void)(data);
    expect(failedChecks()).toEqual([]);
    expect(unexpectedRequests()).toEqual([]);
    for (const plan of ['free', 'pro', 'team', 'enterprise']) {
      expect(emu.samples.filter((s) => s.metric === 'rate_limit_first_429' && s.tags.plan === plan)).toHaveLength(1);
      expect(emu.samples.filter((s) => s.metric === 'rate_limit_recovered' && s.tags.plan === plan)).toHaveLength(1);
      const sent = emu.requests.filter((r) => r.tags.plan === plan);
      const first429 = sent.findIndex((r) => r.status === 429);
      const burst: Record<string, number> = { free: 20, pro: 100, team: 500, enterprise: 2000 };
      expect(first429, plan).toBeGreaterThanOrEqual(burst[plan]);
    }
  }, 180_000);
});
