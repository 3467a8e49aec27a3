// A small emulator of the k6 modules the load scripts use (`k6`, `k6/http`, `k6/metrics`,
// `k6/execution`), so that vitest can import the real scripts (vi.mock) and run their scenario
// functions against the real mock: synchronous HTTP through sync-http.ts, checks, metrics and
// the expected-status callback recorded for the test to inspect. Header names are canonicalised
// the way k6 (Go) does it (`X-Ratelimit-Limit`), so the scripts' lookups are exercised for real.
// Limits: NOT k6: no executors, no concurrency, no thresholds engine, approximate timings; it
// proves that the scripts run and that their checks pass, not k6's scheduling or performance.
import type { SyncHttp } from './sync-http.ts';

export interface CheckRecord { name: string; ok: boolean; tags: Record<string, string> }
export interface RequestRecord { method: string; url: string; status: number; expected: boolean; tags: Record<string, string>; waiting: number }
export interface MetricRecord { metric: string; value: number; tags: Record<string, string> }

type StatusTest = { kind: 'expectedStatuses'; test: (status: number) => boolean };

export const emu = {
  http: null as SyncHttp | null,
  checks: [] as CheckRecord[],
  requests: [] as RequestRecord[],
  samples: [] as MetricRecord[],
  logs: [] as string[],
  callback: null as StatusTest | null,
  vu: { idInTest: 1, iterationInScenario: 0 },
  scenario: { name: 'default', iterationInTest: 0, startTime: Date.now() },
};

export function resetRecords(): void {
  emu.checks = [];
  emu.requests = [];
  emu.samples = [];
  emu.logs = [];
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function scenarioTags(): Record<string, string> {
  return { scenario: emu.scenario.name };
}

// ---- k6 ----
function check(val: unknown, sets: Record<string, (v: unknown) => boolean>, tags?: Record<string, string>): boolean {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    const ok = Boolean(fn(val));
    emu.checks.push({ name, ok, tags: { ...scenarioTags(), ...(tags ?? {}) } });
    all = all && ok;
  }
  return all;
}

export const k6Module = {
  check,
  group: <T>(_name: string, fn: () => T): T => fn(),
  sleep: (seconds: number) => sleepMs(seconds * 1000),
  fail: (msg?: string): never => {
    throw new Error(msg ?? 'fail');
  },
};

// ---- k6/http ----
function expectedStatuses(...list: Array<number | { min: number; max: number }>): StatusTest {
  return { kind: 'expectedStatuses', test: (s) => list.some((e) => (typeof e === 'number' ? s === e : s >= e.min && s <= e.max)) };
}

function timeoutMs(t: unknown): number {
  if (typeof t === 'number') return t;
  const m = typeof t === 'string' ? /^(\d+)(ms|s|m)$/.exec(t) : null;
  return m ? Number(m[1]) * ({ ms: 1, s: 1000, m: 60000 } as Record<string, number>)[m[2]] : 60000;
}

interface Params { headers?: Record<string, string>; tags?: Record<string, string>; timeout?: string | number; responseCallback?: StatusTest }

function request(method: string, url: string, body?: string | null, params?: Params | null) {
  if (!emu.http) throw new Error('emulator: no HTTP bridge started');
  if (body !== null && body !== undefined && typeof body !== 'string') throw new Error('emulator: only string bodies are supported');
  const wire = emu.http.request(method, url, params?.headers ?? {}, body ?? null, timeoutMs(params?.timeout));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(wire.headers)) headers[canonical(k)] = v;
  const callback = params?.responseCallback ?? emu.callback ?? expectedStatuses({ min: 200, max: 399 });
  const expected = wire.status !== 0 && callback.test(wire.status);
  emu.requests.push({ method, url, status: wire.status, expected, tags: { ...scenarioTags(), ...(params?.tags ?? {}) }, waiting: wire.waiting });
  return {
    status: wire.status,
    body: wire.body,
    headers,
    error: wire.error ?? '',
    error_code: wire.status === 0 ? 1000 : 0,
    timings: { waiting: wire.waiting, duration: wire.duration },
    request: { method, url, body: body ?? '' },
  };
}

const httpApi = {
  request,
  get: (url: string, params?: Params) => request('GET', url, null, params),
  post: (url: string, body?: string | null, params?: Params) => request('POST', url, body, params),
  put: (url: string, body?: string | null, params?: Params) => request('PUT', url, body, params),
  patch: (url: string, body?: string | null, params?: Params) => request('PATCH', url, body, params),
  del: (url: string, body?: string | null, params?: Params) => request('DELETE', url, body, params),
  expectedStatuses,
  setResponseCallback: (cb: StatusTest) => {
    emu.callback = cb;
  },
};

export const httpModule = { default: httpApi, ...httpApi };

// ---- k6/metrics ----
class Metric {
  constructor(readonly name: string) {}
  add(value: number | boolean, tags?: Record<string, string>): void {
    emu.samples.push({ metric: this.name, value: Number(value), tags: { ...scenarioTags(), ...(tags ?? {}) } });
  }
}

export const metricsModule = { Counter: Metric, Trend: Metric, Rate: Metric, Gauge: Metric };

// ---- k6/execution ----
export const executionModule = {
  default: {
    get vu() {
      return { idInTest: emu.vu.idInTest, iterationInScenario: emu.vu.iterationInScenario };
    },
    get scenario() {
      return { ...emu.scenario };
    },
    test: {
      abort: (msg?: string): never => {
        throw new Error(`aborted: ${msg ?? ''}`);
      },
    },
  },
};

/** Runs `fn` for `iterations` iterations as scenario `name` (fresh counters). */
export function runIterations(name: string, iterations: number, fn: (data?: unknown) => void, data?: unknown): void {
  emu.scenario = { name, iterationInTest: 0, startTime: Date.now() };
  for (let i = 0; i < iterations; i++) {
    emu.scenario.iterationInTest = i;
    emu.vu.iterationInScenario = i;
    fn(data);
  }
}

export function failedChecks(): string[] {
  return emu.checks.filter((c) => !c.ok).map((c) => `${c.name} [${JSON.stringify(c.tags)}]`);
}

export function unexpectedRequests(): string[] {
  return emu.requests.filter((r) => !r.expected).map((r) => `${r.method} ${r.url} -> ${r.status}`);
}
