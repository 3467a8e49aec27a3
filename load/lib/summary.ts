// handleSummary helper: writes `<resultsDir>/<script>-summary.json` (k6's whole summary data, plus
// a small verdict block) and prints a short text summary on stdout: thresholds with their verdicts,
// checks (failing ones by name), request counts and latency. k6's own textSummary lives at a jslib
// URL (network), so this one is home-made and deliberately small. Pure: no k6 imports.
// Limits: k6 does not create folders: `resultsDir` must exist (load/results/ is committed).

interface MetricSummary {
  type?: string;
  contains?: string;
  values?: Record<string, number>;
  thresholds?: Record<string, { ok?: boolean }>;
}

interface CheckSummary {
  name?: string;
  passes?: number;
  fails?: number;
}

interface GroupSummary {
  name?: string;
  checks?: CheckSummary[];
  groups?: GroupSummary[];
}

export interface SummaryData {
  metrics?: Record<string, MetricSummary>;
  root_group?: GroupSummary;
  state?: { testRunDurationMs?: number };
}

export interface ThresholdVerdict {
  metric: string;
  threshold: string;
  ok: boolean;
}

export interface Verdict {
  script: string;
  thresholdsOk: boolean;
  thresholds: ThresholdVerdict[];
  checks: { passes: number; fails: number; failing: string[] };
}

export function thresholdVerdicts(data: SummaryData): ThresholdVerdict[] {
  const out: ThresholdVerdict[] = [];
  for (const [metric, m] of Object.entries(data.metrics ?? {})) {
    for (const [threshold, t] of Object.entries(m.thresholds ?? {})) out.push({ metric, threshold, ok: t.ok !== false });
  }
  return out.sort((a, b) => (a.metric + a.threshold).localeCompare(b.metric + b.threshold));
}

function collectChecks(g: GroupSummary | undefined, out: CheckSummary[]): CheckSummary[] {
  if (!g) return out;
  for (const c of g.checks ?? []) out.push(c);
  for (const sub of g.groups ?? []) collectChecks(sub, out);
  return out;
}

export function verdict(script: string, data: SummaryData): Verdict {
  const thresholds = thresholdVerdicts(data);
  const checks = collectChecks(data.root_group, []);
  return {
    script,
    thresholdsOk: thresholds.every((t) => t.ok),
    thresholds,
    checks: {
      passes: checks.reduce((s, c) => s + (c.passes ?? 0), 0),
      fails: checks.reduce((s, c) => s + (c.fails ?? 0), 0),
      failing: checks.filter((c) => (c.fails ?? 0) > 0).map((c) => `${c.name ?? '?'} (${c.fails} of ${(c.passes ?? 0) + (c.fails ?? 0)} failed)`),
    },
  };
}

function fmt(n: number | undefined, contains: string | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (contains === 'time') return n >= 1000 ? `${(n / 1000).toFixed(2)}s` : `${n.toFixed(1)}ms`;
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

/** One line per metric value a threshold looks at (or the main value of the metric). */
function metricLine(name: string, m: MetricSummary): string {
  const v = m.values ?? {};
  if (m.type === 'rate') return `${name}: ${((v.rate ?? 0) * 100).toFixed(2)}% (${v.passes ?? 0} of ${(v.passes ?? 0) + (v.fails ?? 0)})`;
  if (m.type === 'counter') return `${name}: ${fmt(v.count, m.contains)} (${fmt(v.rate, undefined)}/s)`;
  if (m.type === 'gauge') return `${name}: ${fmt(v.value, m.contains)}`;
  return `${name}: avg=${fmt(v.avg, m.contains)} med=${fmt(v.med, m.contains)} p(95)=${fmt(v['p(95)'], m.contains)} max=${fmt(v.max, m.contains)}`;
}

export function textSummary(script: string, data: SummaryData): string {
  const v = verdict(script, data);
  const metrics = data.metrics ?? {};
  const lines: string[] = [``, `== ${script}: ${v.thresholdsOk ? 'all thresholds met' : 'THRESHOLDS FAILED'} ==`];
  for (const t of v.thresholds) lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.threshold}   ${metrics[t.metric] ? metricLine('', metrics[t.metric]).slice(2) : ''}`);
  lines.push(`  checks: ${v.checks.passes} passed, ${v.checks.fails} failed`);
  for (const f of v.checks.failing.slice(0, 20)) lines.push(`    failing: ${f}`);
  for (const name of ['http_reqs', 'http_req_failed', 'http_req_duration', 'iterations']) {
    if (metrics[name]) lines.push(`  ${metricLine(name, metrics[name])}`);
  }
  const seconds = (data.state?.testRunDurationMs ?? 0) / 1000;
  lines.push(`  duration: ${seconds.toFixed(1)}s`, '');
  return lines.join('\n');
}

/** The object handleSummary returns: the JSON file and the text on stdout. */
export function summaryOutputs(script: string, resultsDir: string, data: SummaryData): Record<string, string> {
  const file = `${resultsDir}/${script}-summary.json`;
  const json = JSON.stringify({ verdict: verdict(script, data), ...data }, null, 2);
  return { [file]: json, stdout: `${textSummary(script, data)}  summary written to ${file}\n` };
}
