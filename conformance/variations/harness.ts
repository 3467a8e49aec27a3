// Drives the legal-variations proof: for each variation, a fresh target (configured by the
// variation), the mutating proxy carrying the variation's hooks (and relaying webhooks), the
// wire proxy in front of it, and the full default suite run in-process through `runConformance`
// (mutations/harness.ts' `runSuite`). A legal variation must give a run with no finding.
// Prints the table of variation, applied, findings, verdict (rejected ideas listed, not run).
// Limits: the target is injected (`startTarget`), so this file shares no code with the mock;
// runs go `parallel` at a time (default 2) to keep a 2-core machine responsive.
import type { ConformanceReport } from '../report.ts';
import { DEMO_KEYS } from '../config.ts';
import { runSuite, SPARE_KEY, type Target } from '../mutations/harness.ts';
import { startProxy } from '../mutations/proxy.ts';
import type { Finding } from '../types.ts';
import type { Rejected, Variation } from './variation.ts';
import { startWireProxy, type WireStats } from './wire-proxy.ts';

export interface VariationResult {
  name: string;
  description: string;
  legal: string;
  /** Messages the variation changed or observed (0: it found nothing to vary). */
  applied: number;
  findings: Finding[];
  /** Cases skipped in this run (a variation should not cost coverage either). */
  skipped: string[];
  wire: WireStats;
  ms: number;
  /** Absent when the run could not start. */
  report?: ConformanceReport;
}

/** The base configuration of every target (the mutation proof's): a small plan for the exhaust
 * key, fast streams and webhooks; agents run 10 s, so that cancelling one is exercised (200 ms
 * let positive-input's cancelAgent meet a finished agent, a documented skip). */
export const BASE_MOCK_CONFIG: Record<string, unknown> = {
  plans: { free: { perMinute: 60, perDay: 1_000, burst: 6 } },
  stream: { deltaDelayMs: 1, keepAliveMs: 15_000 },
  agentDurationMs: 10_000,
  webhooks: { backoffBaseMs: 200, maxAttempts: 2, timeoutMs: 2_000 },
};

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
      ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

export async function runVariation(v: Variation, startTarget: (mockConfig: Record<string, unknown>) => Promise<Target>): Promise<VariationResult> {
  const t0 = Date.now();
  let applied = 0;
  const setup = v.setup(() => { applied++; });
  const target = await startTarget(deepMerge(BASE_MOCK_CONFIG, setup.mock));
  const proxy = await startProxy({
    upstream: target.url,
    mutation: { name: v.name, check: '-', description: v.description, ...setup.hooks },
    keys: { full: DEMO_KEYS.full, readonly: DEMO_KEYS.readonly, restricted: DEMO_KEYS.restricted, exhaust: DEMO_KEYS.exhaust, spare: SPARE_KEY },
  });
  const wire = await startWireProxy(proxy.url, setup.wire);
  try {
    const suite = await runSuite(`${wire.url}/v2`, setup.runner);
    const skipped = suite.report.checks.flatMap((c) => c.cases.filter((x) => x.status === 'skipped').map((x) => `${c.id} ${x.operation}: ${x.skipReason ?? ''}`));
    return {
      name: v.name, description: v.description, legal: v.legal, applied,
      findings: suite.report.findings, skipped, wire: { ...wire.stats }, ms: Date.now() - t0, report: suite.report,
    };
  } finally {
    await wire.close();
    await proxy.close();
    await target.close();
  }
}

/** Runs every variation, `parallel` at a time, in the catalogue's order. */
export async function runVariations(list: Variation[], startTarget: (mockConfig: Record<string, unknown>) => Promise<Target>, parallel = 2): Promise<VariationResult[]> {
  const results: VariationResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      results[i] = await runVariation(list[i], startTarget).catch((err) => failedRun(list[i], err as Error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, list.length) }, worker));
  return results;
}

/** A variation whose run could not even start (a bad mock config): reported as a finding. */
function failedRun(v: Variation, err: Error): VariationResult {
  const finding: Finding = { checkId: '(harness)', severity: 'error', operation: '-', message: `the run did not start: ${err.message}` };
  const wire: WireStats = { responses: 0, streams: 0, events: 0, writes: 0, gzipped: 0, identityOnly: 0, mockSurface: [] };
  return { name: v.name, description: v.description, legal: v.legal, applied: 0, findings: [finding], skipped: [], wire, ms: 0 };
}

export function verdict(r: VariationResult): string {
  if (r.applied === 0) return 'VACUOUS: nothing was varied';
  if (r.findings.length) return `RUNNER TOO STRICT (${[...new Set(r.findings.map((f) => f.checkId))].join(', ')})`;
  return 'legal: full pass';
}

/** The table of variation, applied, findings, skipped cases, verdict; then the rejected ideas. */
export function formatTable(rows: VariationResult[], rejected: Rejected[] = []): string {
  const head = ['variation', 'applied', 'findings', 'skipped', 'verdict', 'ms'];
  const body = rows.map((r) => [r.name, String(r.applied), String(r.findings.length), String(r.skipped.length), verdict(r), String(r.ms)]);
  for (const x of rejected) body.push([x.name, '-', '-', '-', `not legal, not run: ${x.why}`, '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (i === 4 ? Math.min(b[i].length, 60) : b[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** A failing variation explained: its findings (at most `max`) and skipped cases. */
export function explain(r: VariationResult, max = 6): string {
  const lines = [`${r.name}: ${verdict(r)} (${r.applied} messages varied)`];
  for (const f of r.findings.slice(0, max)) lines.push(`  ${f.checkId} ${f.operation}: ${f.message}`);
  if (r.findings.length > max) lines.push(`  … ${r.findings.length - max} more`);
  for (const s of r.skipped.slice(0, max)) lines.push(`  skipped ${s}`);
  return lines.join('\n');
}
