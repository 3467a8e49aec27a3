// The whole default suite against the real mock (the runner's first target), with the demo keys:
// every check passes, none is skipped, no case is skipped for lack of a key, the run stays under
// 30 seconds, and no key appears in full anywhere in the report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../mock/server.ts';
import { DEMO_KEYS, DEMO_RESTRICTED_SCOPES, resolveConfig } from './config.ts';
import { DEFAULT_SPEC } from './cli-options.ts';
import { consoleSummary } from './reporters/console.ts';
import { junitXml } from './reporters/junit.ts';
import { runConformance, type RunOutcome } from './runner.ts';
import { allChecks } from './checks/index.ts';
import { preset } from './checks/preset.ts';

describe('the runner against the mock', () => {
  let mock: RunningMock;
  let outcome: RunOutcome;
  let elapsed = 0;

  beforeAll(async () => {
    mock = await startMock({ port: 0, quiet: true });
    const config = resolveConfig({ baseUrl: mock.baseUrl, spec: DEFAULT_SPEC, keys: DEMO_KEYS, restrictedScopes: DEMO_RESTRICTED_SCOPES });
    const t0 = Date.now();
    outcome = await runConformance({ config });
    elapsed = Date.now() - t0;
    console.log(consoleSummary(outcome.report));
    console.log(`default suite against the mock: ${(elapsed / 1000).toFixed(2)} s, ${outcome.report.summary.requests} requests`);
  }, 60_000);

  afterAll(async () => {
    await mock?.close();
  });

  it('passes every check, none skipped', () => {
    const bad = outcome.report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.status} ${c.skipReason ?? ''}`);
    expect(bad, outcome.findings.map((f) => `${f.checkId} ${f.operation}: ${f.message}`).join('\n')).toEqual([]);
    expect(outcome.report.checks.map((c) => c.id).sort()).toEqual(Object.keys(allChecks).filter((id) => preset[id] !== 'off').sort());
    expect(outcome.report.exitCode).toBe(0);
  });

  it('skips no case for lack of a key', () => {
    const skipped = outcome.report.checks.flatMap((c) => c.cases.filter((k) => k.status === 'skipped').map((k) => `${c.id} ${k.operation}: ${k.skipReason}`));
    expect(skipped.filter((s) => /key/.test(s))).toEqual([]);
  });

  it('finishes the default suite in under 30 seconds', () => {
    expect(elapsed).toBeLessThan(30_000);
  });

  it('observes every operation and the statuses the checks provoke', () => {
    const cov = outcome.report.coverage;
    expect(cov.length).toBeGreaterThanOrEqual(35);
    for (const c of cov) expect(c.observed.length, c.operationId).toBeGreaterThan(0);
    expect(cov.flatMap((c) => c.undeclared)).toEqual([]);
    expect(cov.find((c) => c.operationId === 'listModels')?.observed.map((o) => o.status)).toContain(429);
  });

  it('never shows a key in full', () => {
    const text = JSON.stringify(outcome.report) + junitXml(outcome.report);
    for (const key of Object.values(DEMO_KEYS)) expect(text.includes(key), key).toBe(false);
  });
});
