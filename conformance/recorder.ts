// Collects what the checks decide: one case per (check, operation), each passed, failed or
// skipped, with its findings; and the statuses observed per operation (status coverage).
// Findings get their policy here: severity from the preset and the user's overrides, the
// curl line, and secrets scrubbed from every text field.
// Limits: keeps every finding in memory (bounded per case by MAX_FINDINGS_PER_CASE).
import { curlFor } from './curl.ts';
import type { SecretRing } from './redact.ts';
import type { Exchange, Finding, FindingInput, Severity } from './types.ts';

export const MAX_FINDINGS_PER_CASE = 25;

export interface CaseState {
  operation: string;
  passes: number;
  findings: Finding[];
  dropped: number;
  skipReason?: string;
  exchanges: number;
}

export class Recorder {
  readonly cases = new Map<string, Map<string, CaseState>>();
  readonly observed = new Map<string, Map<number, number>>();
  readonly checkSkips = new Map<string, string>();
  requests = 0;

  constructor(private readonly severityOf: (checkId: string) => Severity, private readonly secrets: SecretRing) {}

  private state(checkId: string, operation: string): CaseState {
    let m = this.cases.get(checkId);
    if (!m) this.cases.set(checkId, (m = new Map()));
    let s = m.get(operation);
    if (!s) m.set(operation, (s = { operation, passes: 0, findings: [], dropped: 0, exchanges: 0 }));
    return s;
  }

  pass(checkId: string, operation: string, judgedExchange = false): void {
    const s = this.state(checkId, operation);
    s.passes++;
    if (judgedExchange) s.exchanges++;
  }

  skip(checkId: string, operation: string, reason: string): void {
    const s = this.state(checkId, operation);
    s.skipReason ??= this.secrets.scrub(reason);
  }

  skipCheck(checkId: string, reason: string): void {
    this.checkSkips.set(checkId, reason);
  }

  fail(checkId: string, input: FindingInput, judgedExchange = false): Finding {
    const ex = input.exchange;
    const operation = input.operationId ?? ex?.operationId ?? ex?.operationLabel ?? 'run';
    const severity = this.severityOf(checkId);
    const finding: Finding = {
      checkId,
      severity: severity === 'off' ? 'warning' : severity,
      operation,
      message: this.secrets.scrub(input.message),
      pointer: input.pointer,
      expected: input.expected === undefined ? undefined : this.secrets.scrub(input.expected),
      actual: input.actual === undefined ? undefined : this.secrets.scrub(truncate(input.actual)),
      status: ex?.response?.status,
      requestId: ex?.response?.headers['x-request-id'],
      curl: ex ? this.secrets.scrub(curlFor(ex.request)) : undefined,
    };
    const s = this.state(checkId, operation);
    if (judgedExchange) s.exchanges++;
    if (s.findings.length < MAX_FINDINGS_PER_CASE) s.findings.push(finding);
    else s.dropped++;
    return finding;
  }

  observe(ex: Exchange): void {
    this.requests++;
    if (!ex.operationId || !ex.response) return;
    let m = this.observed.get(ex.operationId);
    if (!m) this.observed.set(ex.operationId, (m = new Map()));
    m.set(ex.response.status, (m.get(ex.response.status) ?? 0) + 1);
  }

  allFindings(): Finding[] {
    const out: Finding[] = [];
    for (const m of this.cases.values()) for (const s of m.values()) out.push(...s.findings);
    return out;
  }
}

function truncate(s: string, max = 500): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
}
