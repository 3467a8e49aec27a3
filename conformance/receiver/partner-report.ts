// Partner mode's reports: the run's outcomes as the same `ConformanceReport` the main runner
// writes (one check per case kind, one case per event type; findings with a curl line that
// replays the request), and the console table (event types by case kind, each cell the status
// the receiver answered).
// Limits: the secret never enters the report (it is not sent; callers scrub output anyway);
// `coverage` is empty, partner mode exercises no operation of the API.
import { curlFor } from '../curl.ts';
import type { ConformanceReport, ReportCheck, ReportFinding } from '../report.ts';
import type { PartnerOutcome, PartnerRun } from './partner.ts';

export interface PartnerReportInput {
  run: PartnerRun;
  url: string;
  specTitle: string;
  specVersion: string;
  version: string;
}

function findingOf(o: PartnerOutcome, url: string, description: string): ReportFinding {
  const got = o.status === undefined ? `no answer (${o.error})` : String(o.status);
  const want = o.expect === '2xx' ? 'a 2xx acknowledgement' : 'a 4xx refusal';
  return {
    checkId: o.caseId,
    severity: 'error',
    operation: o.eventType,
    message: `the receiver answered ${got} where ${want} is due: ${description}`,
    expected: o.expect,
    actual: got,
    status: o.status,
    curl: curlFor({ method: 'POST', url, path: new URL(url).pathname, headers: o.sent.headers, body: o.sent.body, auth: 'none' }),
  };
}

export function partnerReport(input: PartnerReportInput): ConformanceReport {
  const { run, url } = input;
  const checks: ReportCheck[] = run.cases.map((c) => {
    const mine = run.outcomes.filter((o) => o.caseId === c.id);
    const failed = mine.some((o) => !o.passed);
    return {
      id: c.id,
      title: c.title,
      severity: 'error',
      kind: 'active',
      status: run.fatal || !mine.length ? 'skipped' : failed ? 'failed' : 'passed',
      skipReason: run.fatal || !mine.length ? run.fatal ?? 'not run' : undefined,
      durationMs: mine.reduce((n, o) => n + o.durationMs, 0),
      cases: mine.map((o) => ({ operation: o.eventType, status: o.passed ? 'passed' : 'failed', findings: o.passed ? 0 : 1, exchanges: 1 })),
    };
  });
  const findings = run.outcomes.filter((o) => !o.passed).map((o) => findingOf(o, url, run.cases.find((c) => c.id === o.caseId)?.description ?? ''));
  const cases = checks.flatMap((c) => c.cases);
  const count = <T extends { status: string }>(list: T[], s: string) => list.filter((x) => x.status === s).length;
  const exitCode = run.fatal ? 2 : findings.length ? 1 : 0;
  return {
    tool: { name: 'chaozcode-conformance', version: input.version },
    target: { baseUrl: url, specTitle: input.specTitle, specVersion: input.specVersion, keyRoles: [] },
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date(run.startedAt + run.durationMs).toISOString(),
    durationMs: run.durationMs,
    ok: exitCode === 0,
    exitCode,
    fatal: run.fatal,
    summary: {
      checks: { passed: count(checks, 'passed'), failed: count(checks, 'failed'), skipped: count(checks, 'skipped') },
      cases: { passed: count(cases, 'passed'), failed: count(cases, 'failed'), skipped: count(cases, 'skipped') },
      findings: { error: findings.length, warning: 0 },
      requests: run.outcomes.length,
    },
    checks,
    findings,
    coverage: [],
  };
}

/** `receiver-rejects-wrong-secret` -> `wrong-secret`. */
export function shortName(caseId: string): string {
  return caseId.replace(/^receiver-(accepts|rejects)-/, '');
}

/** The console table: one row per event type, one column per case kind. */
export function partnerTable(run: PartnerRun): string {
  const cols = run.cases.map((c) => `${shortName(c.id)} (${c.expect})`);
  const rows = run.eventTypes.map((t) => [t, ...run.cases.map((c) => {
    const o = run.outcomes.find((x) => x.caseId === c.id && x.eventType === t);
    if (!o) return '-';
    return `${o.passed ? '✔' : '✘'} ${o.status ?? 'ERR'}`;
  })]);
  const head = ['event type', ...cols];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
