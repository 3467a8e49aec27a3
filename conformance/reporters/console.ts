// The console summary of a run: checks by pass/fail/skip with case counts, status coverage
// per operation (declared statuses against observed ones), the findings with their curl
// lines (first MAX_PRINTED), and the run's own elapsed time.
// Limits: plain text (no colours), meant for CI logs as much as for terminals.
import type { ConformanceReport, ReportCheck } from '../report.ts';

const MAX_PRINTED = 40;
const MARK = { passed: '✔', failed: '✘', skipped: '○' } as const;

function counts(c: ReportCheck): string {
  const n = (s: string) => c.cases.filter((x) => x.status === s).length;
  const parts = [n('passed') && `${n('passed')} passed`, n('failed') && `${n('failed')} failed`, n('skipped') && `${n('skipped')} skipped`].filter(Boolean);
  return parts.join(', ') || 'no cases';
}

export function checksTable(report: ConformanceReport): string[] {
  const width = Math.max(...report.checks.map((c) => c.id.length), 10);
  return report.checks.map((c) => {
    const tail = c.status === 'skipped' ? `skipped: ${c.skipReason}` : counts(c);
    const sev = c.severity === 'error' ? '' : ` (${c.severity})`;
    const time = c.durationMs ? `  ${(c.durationMs / 1000).toFixed(1)} s` : '';
    return `  ${MARK[c.status]} ${c.id.padEnd(width)}  ${tail}${sev}${time}`;
  });
}

export function coverageTable(report: ConformanceReport): string[] {
  const width = Math.max(...report.coverage.map((c) => c.operationId.length), 10);
  return report.coverage.map((c) => {
    const cells = c.declared.map((d) => `${d}${c.unobserved.includes(d) ? '·' : '✔'}`);
    const extra = c.undeclared.length ? `  undeclared seen: ${c.undeclared.join(', ')}` : '';
    return `  ${c.operationId.padEnd(width)}  ${cells.join(' ')}${extra}`;
  });
}

export function consoleSummary(report: ConformanceReport, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`chaozcode-conformance ${report.tool.version}: ${report.target.specTitle} ${report.target.specVersion} at ${report.target.baseUrl}`);
  lines.push(`keys: ${report.target.keyRoles.join(', ') || 'none'}`);
  if (report.fatal) {
    lines.push('', `cannot run: ${report.fatal}`);
    return lines.join('\n');
  }
  lines.push('', 'Checks', ...checksTable(report));
  if (report.coverage.length) {
    lines.push('', 'Status coverage (✔ observed, · declared but never observed)', ...coverageTable(report));
  }
  const errors = report.findings.filter((f) => f.severity === 'error');
  // Findings about the whole run (a stopped run, a target that went silent) explain the rest: first.
  const runFirst = (list: typeof report.findings) => [...list.filter((f) => f.operation === 'run'), ...list.filter((f) => f.operation !== 'run')];
  const shown = runFirst(opts.verbose ? report.findings : errors).slice(0, MAX_PRINTED);
  if (shown.length) {
    lines.push('', `Findings (${report.findings.length})`);
    for (const f of shown) {
      lines.push(`  ${f.severity === 'error' ? '✘' : '!'} [${f.checkId}] ${f.operation}: ${f.message}`);
      if (f.pointer !== undefined) lines.push(`      at ${f.pointer || '/'}`);
      if (f.curl) lines.push(`      ${f.curl}`);
    }
    if (report.findings.length > shown.length) lines.push(`  … ${report.findings.length - shown.length} more in the JSON report`);
  }
  const s = report.summary;
  lines.push('', `${report.ok ? 'PASS' : 'FAIL'}: ${report.checks.length} checks: ${s.checks.passed} passed, ${s.checks.failed} failed, ${s.checks.skipped} skipped; ` +
    `${s.cases.passed + s.cases.failed + s.cases.skipped} cases (${s.cases.failed} failed, ${s.cases.skipped} skipped); ${s.requests} requests; ${(report.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
