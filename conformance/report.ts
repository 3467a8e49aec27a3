// The JSON report of a conformance run (`--json FILE`). Its JSON Schema is generated from
// `ConformanceReport` into generated/conformance-report.schema.json (typescript-json-schema).
// Plain data only: no functions, no classes, so the schema describes the file exactly.
// Limits: secrets are redacted before the report is built; bodies are not stored, only findings.

export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** One test case: one check applied to one operation (or a named scenario). */
export interface ReportCase {
  /** operationId, or `METHOD /path` for requests that match no operation. */
  operation: string;
  status: CheckStatus;
  /** Why the case was skipped. */
  skipReason?: string;
  /** Number of findings in this case. */
  findings: number;
  /** Exchanges (requests) this check judged for this operation. */
  exchanges: number;
}

export interface ReportCheck {
  id: string;
  title: string;
  /** Effective severity: `error` findings fail the run, `warning` findings do not. */
  severity: 'error' | 'warning' | 'off';
  /** `passive` checks judge every exchange; `active` ones send their own requests; `both` do both. */
  kind: 'passive' | 'active' | 'both';
  status: CheckStatus;
  /** Why the whole check was skipped (missing key, filtered out...). */
  skipReason?: string;
  durationMs: number;
  cases: ReportCase[];
}

export interface ReportFinding {
  checkId: string;
  severity: 'error' | 'warning';
  operation: string;
  message: string;
  /** JSON pointer into the response, where it applies. */
  pointer?: string;
  expected?: string;
  actual?: string;
  /** HTTP status of the response judged, when there was one. */
  status?: number;
  requestId?: string;
  /** Shell line reproducing the request; keys appear as env vars or redacted (8 chars + …). */
  curl?: string;
}

/** Declared status codes of one operation against those observed during the run. */
export interface ReportCoverage {
  operationId: string;
  method: string;
  path: string;
  /** Declared response statuses (`200`, `4XX`, `default` as written in the spec). */
  declared: string[];
  /** Observed statuses and how many times each was seen. */
  observed: { status: number; count: number }[];
  /** Declared statuses never observed. */
  unobserved: string[];
  /** Observed statuses the operation does not declare. */
  undeclared: number[];
}

export interface ConformanceReport {
  /** The tool and its version. */
  tool: { name: string; version: string };
  /** The implementation under test and the contract it was judged against. */
  target: { baseUrl: string; specTitle: string; specVersion: string; keyRoles: string[] };
  /** RFC 3339 timestamps. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** True when no finding of severity `error` was reported. */
  ok: boolean;
  /** The process exit code: 0 pass, 1 failures, 2 bad usage or unreachable target. */
  exitCode: 0 | 1 | 2;
  /** Why the run could not judge the target (exit code 2). */
  fatal?: string;
  summary: {
    checks: { passed: number; failed: number; skipped: number };
    cases: { passed: number; failed: number; skipped: number };
    findings: { error: number; warning: number };
    requests: number;
  };
  checks: ReportCheck[];
  findings: ReportFinding[];
  coverage: ReportCoverage[];
}
