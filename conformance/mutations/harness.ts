// Drives the mutation proof: runs the full default suite in-process (`runConformance`) against a
// target directly, then once per mutation through the mutating proxy, each against a fresh
// target (fresh state and rate-limit buckets), and tells for each mutation whether the check
// meant for it failed and no other did. Also prints the table of mutation, check, caught.
// Limits: the target is injected (`startTarget`), so this file shares no code with the mock;
// runs go `parallel` at a time (default 2) to keep a 2-core machine responsive.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_KEYS, DEMO_RESTRICTED_SCOPES, resolveConfig, type ConformanceConfig } from '../config.ts';
import type { ConformanceReport } from '../report.ts';
import { runConformance } from '../runner.ts';
import type { Mutation } from './mutation.ts';
import { startProxy } from './proxy.ts';

export interface Target {
  /** Origin, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  close(): Promise<void>;
}

export interface SuiteResult {
  report: ConformanceReport;
  failed: string[];
  skipped: string[];
  ms: number;
}

export interface MutationResult {
  mutation: string;
  check: string;
  description: string;
  /** The intended check failed. */
  caught: boolean;
  /** Checks that failed although they were not meant to. */
  collateral: string[];
  /** Requests the mutation changed (0 means it found nothing to break). */
  mutated: number;
  ms: number;
  suite: SuiteResult;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPEC_PATH = path.join(root, 'generated', 'openapi.json');
/** The pro key: same account as the readonly key, used by nothing in the suite. */
export const SPARE_KEY = 'cc_test_demo_pro';

/** Runs the whole default suite against `baseUrl` with the demo keys. */
export async function runSuite(baseUrl: string, overrides: Partial<ConformanceConfig> = {}): Promise<SuiteResult> {
  const t0 = Date.now();
  const config = resolveConfig({
    baseUrl, spec: SPEC_PATH, keys: { ...DEMO_KEYS }, restrictedScopes: [...DEMO_RESTRICTED_SCOPES],
    timeoutMs: 5_000, streamMaxMs: 5_000, maxRunMs: 60_000, concurrency: 6, rateLimit: { maxWaitMs: 5_000 },
    ...overrides,
  });
  const { report } = await runConformance({ config });
  return {
    report,
    failed: report.checks.filter((c) => c.status === 'failed').map((c) => c.id),
    skipped: report.checks.filter((c) => c.status === 'skipped').map((c) => c.id),
    ms: Date.now() - t0,
  };
}

export async function runMutation(m: Mutation, startTarget: () => Promise<Target>, overrides: Partial<ConformanceConfig> = {}): Promise<MutationResult> {
  const t0 = Date.now();
  const target = await startTarget();
  const proxy = await startProxy({
    upstream: target.url,
    mutation: m,
    keys: { full: DEMO_KEYS.full, readonly: DEMO_KEYS.readonly, restricted: DEMO_KEYS.restricted, exhaust: DEMO_KEYS.exhaust, spare: SPARE_KEY },
  });
  try {
    const suite = await runSuite(`${proxy.url}/v2`, overrides);
    return {
      mutation: m.name, check: m.check, description: m.description,
      caught: suite.failed.includes(m.check),
      collateral: suite.failed.filter((id) => id !== m.check),
      mutated: proxy.stats.mutated,
      ms: Date.now() - t0,
      suite,
    };
  } finally {
    await proxy.close();
    await target.close();
  }
}

/** Runs every mutation, `parallel` at a time, in the catalogue's order. */
export async function runMutations(list: Mutation[], startTarget: () => Promise<Target>, parallel = 2, overrides: Partial<ConformanceConfig> = {}): Promise<MutationResult[]> {
  const results: MutationResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      results[i] = await runMutation(list[i], startTarget, overrides);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, list.length) }, worker));
  return results;
}

/** The table of mutation, check, caught (plus collateral failures and timing). */
export function formatTable(rows: MutationResult[]): string {
  const head = ['mutation', 'check', 'caught', 'other failures', 'ms'];
  const body = rows.map((r) => [r.mutation, r.check, r.caught ? 'yes' : 'NO', r.collateral.join(', ') || '-', String(r.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The findings of one check in a report, one line each (for failure messages). */
export function findingsOf(report: ConformanceReport, checkId: string, max = 5): string {
  return report.findings.filter((f) => f.checkId === checkId).slice(0, max).map((f) => `  ${f.operation}: ${f.message}`).join('\n');
}
