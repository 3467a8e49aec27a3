// Assembles the `ConformanceReport` from the recorder: case and check statuses, the summary,
// findings, and status coverage (declared statuses of each operation against observed ones).
// Policy lives here: a case fails on findings of severity `error`; warnings are listed but
// do not fail it. Exit code: 2 when the run could not judge the target, 1 on errors, else 0.
// Limits: coverage lists only operations of the run (after `--operation` filters).
import type { ResolvedConfig } from './config.ts';
import type { Recorder, CaseState } from './recorder.ts';
import type { CheckStatus, ConformanceReport, ReportCase, ReportCheck, ReportCoverage } from './report.ts';
import type { SpecIndex } from './spec.ts';
import type { Check, Severity } from './types.ts';

export interface BuildInput {
  config: ResolvedConfig;
  spec?: SpecIndex;
  recorder: Recorder;
  selected: Check[];
  severityOf: (id: string) => Severity;
  started: number;
  durations: Map<string, number>;
  fatal?: string;
  version?: string;
}

function caseStatus(s: CaseState): CheckStatus {
  if (s.findings.some((f) => f.severity === 'error')) return 'failed';
  if (s.passes === 0 && !s.findings.length && s.skipReason) return 'skipped';
  return 'passed';
}

function kindOf(c: Check): ReportCheck['kind'] {
  return c.inspect && c.run ? 'both' : c.inspect ? 'passive' : 'active';
}

export function buildReport(b: BuildInput): ConformanceReport {
  const checks: ReportCheck[] = [];
  // Findings recorded under ids that are not checks (e.g. a run-level `transport` note) still count.
  const ids = new Set([...b.selected.map((c) => c.id), ...b.recorder.cases.keys()]);
  for (const id of ids) {
    const check = b.selected.find((c) => c.id === id);
    const states = [...(b.recorder.cases.get(id)?.values() ?? [])];
    const cases: ReportCase[] = states.map((s) => ({
      operation: s.operation, status: caseStatus(s), skipReason: caseStatus(s) === 'skipped' ? s.skipReason : undefined,
      findings: s.findings.length + s.dropped, exchanges: s.exchanges,
    })).sort((x, y) => x.operation.localeCompare(y.operation));
    const skipReason = b.recorder.checkSkips.get(id) ?? (b.fatal ? 'the run stopped before this check ran' : undefined);
    let status: CheckStatus;
    if (cases.some((c) => c.status === 'failed')) status = 'failed';
    else if (!cases.length || cases.every((c) => c.status === 'skipped')) status = 'skipped';
    else status = 'passed';
    const sev = b.severityOf(id);
    checks.push({
      id, title: check?.title ?? id, severity: sev, kind: check ? kindOf(check) : 'passive', status,
      skipReason: status === 'skipped' ? skipReason ?? distinctReasons(cases) ?? 'nothing to check' : undefined,
      durationMs: b.durations.get(id) ?? 0, cases,
    });
  }
  const findings = b.recorder.allFindings().map((f) => ({ ...f }));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const count = (list: { status: CheckStatus }[], s: CheckStatus) => list.filter((x) => x.status === s).length;
  const allCases = checks.flatMap((c) => c.cases);
  const exitCode: 0 | 1 | 2 = b.fatal ? 2 : errors ? 1 : 0;
  const finished = Date.now();
  return {
    tool: { name: 'chaozcode-conformance', version: b.version ?? '0.0.0' },
    target: {
      baseUrl: b.config.baseUrl, specTitle: b.spec?.title ?? '', specVersion: b.spec?.version ?? '',
      keyRoles: Object.keys(b.config.keys).filter((k) => b.config.keys[k as keyof typeof b.config.keys]),
    },
    startedAt: new Date(b.started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - b.started,
    ok: exitCode === 0,
    exitCode,
    fatal: b.fatal,
    summary: {
      checks: { passed: count(checks, 'passed'), failed: count(checks, 'failed'), skipped: count(checks, 'skipped') },
      cases: { passed: count(allCases, 'passed'), failed: count(allCases, 'failed'), skipped: count(allCases, 'skipped') },
      findings: { error: errors, warning: findings.length - errors },
      requests: b.recorder.requests,
    },
    checks: checks.sort((x, y) => x.id.localeCompare(y.id)),
    findings,
    coverage: b.spec ? coverage(b.spec, b.recorder, b.config) : [],
  };
}

function distinctReasons(cases: ReportCase[]): string | undefined {
  const reasons = [...new Set(cases.map((c) => c.skipReason).filter(Boolean))];
  return reasons.length ? reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? '; …' : '') : undefined;
}

function coverage(spec: SpecIndex, recorder: Recorder, config: ResolvedConfig): ReportCoverage[] {
  return spec.operations
    .filter((o) => !config.operations.length || config.operations.includes(o.operationId))
    .map((op) => {
      const seen = recorder.observed.get(op.operationId) ?? new Map<number, number>();
      const observed = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([status, count]) => ({ status, count }));
      const declared = op.responses.map((r) => r.key);
      const unobserved = declared.filter((key) => !observed.some((o) => matches(key, o.status)));
      const undeclared = observed.map((o) => o.status).filter((s) => !declared.some((key) => matches(key, s)));
      return { operationId: op.operationId, method: op.method, path: op.path, declared, observed, unobserved, undeclared };
    });
}

function matches(key: string, status: number): boolean {
  const s = String(status);
  return key === s || key.toUpperCase() === `${s[0]}XX` || key === 'default';
}
