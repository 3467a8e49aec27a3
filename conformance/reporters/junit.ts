// JUnit XML from a ConformanceReport, written by junit-report-builder (not built from
// strings): one testsuite per check, one testcase per check and operation; a failure carries
// the findings' messages, pointers and curl lines; a skipped case carries its reason in
// system-out (the builder's <skipped/> has no message attribute).
// Limits: case durations are not measured separately (each suite carries its check's time).
import junitModule, { type Builder } from 'junit-report-builder';
import type { ConformanceReport, ReportFinding } from '../report.ts';

// CommonJS package: take the builder whichever way the loader hands it over.
const junit: Builder = (junitModule as unknown as { default?: Builder }).default ?? (junitModule as unknown as Builder);

function describe(f: ReportFinding): string {
  return [
    `[${f.severity}] ${f.message}`,
    f.pointer !== undefined ? `  at ${f.pointer || '/'}` : '',
    f.expected !== undefined ? `  expected: ${f.expected}` : '',
    f.actual !== undefined ? `  actual: ${f.actual}` : '',
    f.requestId ? `  request id: ${f.requestId}` : '',
    f.curl ? `  reproduce: ${f.curl}` : '',
  ].filter(Boolean).join('\n');
}

export function junitXml(report: ConformanceReport): string {
  const builder = junit.newBuilder();
  for (const check of report.checks) {
    const suite = builder.testSuite().name(check.id).time(check.durationMs / 1000);
    suite.property('title', check.title).property('severity', check.severity).property('kind', check.kind);
    if (!check.cases.length) {
      const tc = suite.testCase().className(check.id).name(check.id);
      if (check.status === 'skipped') tc.skipped().standardOutput(`skipped: ${check.skipReason ?? ''}`);
      continue;
    }
    for (const c of check.cases) {
      const tc = suite.testCase().className(check.id).name(c.operation);
      const findings = report.findings.filter((f) => f.checkId === check.id && f.operation === c.operation);
      if (c.status === 'failed') {
        const first = findings.find((f) => f.severity === 'error') ?? findings[0];
        tc.failure(first?.message ?? `${c.findings} finding(s)`, check.id).stacktrace(findings.map(describe).join('\n\n'));
      } else if (c.status === 'skipped') {
        tc.skipped().standardOutput(`skipped: ${c.skipReason ?? check.skipReason ?? ''}`);
      } else {
        tc.standardOutput(`${c.exchanges ? `${c.exchanges} exchange(s) judged` : 'passed'}${findings.length ? `; warnings:\n${findings.map(describe).join('\n\n')}` : ''}`);
      }
    }
  }
  return builder.build();
}
