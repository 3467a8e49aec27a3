// The mutation proof (issue 5, point 6): the full default suite passes against the mock (every
// check passed, none skipped), passes through the mutating proxy without a mutation (the proxy
// and its webhook relay are transparent), and then, once per mutation, fails exactly the check
// meant for it and no other. Prints the table of mutation, check, caught.
// Each run gets a fresh mock (fresh state and rate-limit buckets) with a test config: a small
// plan for the exhaust key so that rate-limit enforcement (burst, then Retry-After) takes about
// a second instead of six, and fast streams and agents.
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mock/server.ts';
import { allChecks } from '../checks/index.ts';
import { preset } from '../checks/preset.ts';
import { MUTATIONS } from './catalogue.ts';
import { findingsOf, formatTable, runMutations, runSuite, type MutationResult, type Target } from './harness.ts';
import type { Mutation } from './mutation.ts';

const MOCK_CONFIG = {
  plans: { free: { perMinute: 60, perDay: 1_000, burst: 6 } },
  stream: { deltaDelayMs: 1, keepAliveMs: 15_000 },
  agentDurationMs: 200,
  webhooks: { backoffBaseMs: 200, maxAttempts: 2, timeoutMs: 2_000 },
};

async function freshMock(): Promise<Target> {
  const m = await startMock({ port: 0, quiet: true, config: MOCK_CONFIG });
  return { url: m.url, close: () => m.close() };
}

function explain(r: MutationResult): string {
  const lines = [`${r.mutation} (meant for ${r.check}; ${r.mutated} messages changed)`];
  if (!r.caught) lines.push(`  not caught by ${r.check}`);
  for (const c of r.collateral) lines.push(`  also failed ${c}:\n${findingsOf(r.suite.report, c, 3)}`);
  return lines.join('\n');
}

describe('the mutation proof', () => {
  it('the default suite passes against the mock: every check passed, none skipped', async () => {
    const target = await freshMock();
    try {
      const r = await runSuite(`${target.url}/v2`);
      const problems = r.failed.map((c) => `${c}:\n${findingsOf(r.report, c)}`);
      expect(problems, problems.join('\n')).toEqual([]);
      expect(r.skipped).toEqual([]);
      const defaults = Object.values(allChecks).filter((c) => preset[c.id] !== 'off' && !c.slow).map((c) => c.id);
      expect(r.report.checks.map((c) => c.id).sort()).toEqual(defaults.sort());
      expect(r.report.exitCode).toBe(0);
      console.log(`baseline: ${r.report.checks.length} checks passed, ${r.report.summary.requests} requests, ${r.ms} ms`);
    } finally {
      await target.close();
    }
  }, 60_000);

  it('the proxy without a mutation is transparent (webhook relay included)', async () => {
    const identity: Mutation = { name: 'none', check: '-', description: 'no change' };
    const [r] = await runMutations([identity], freshMock, 1);
    expect(r.collateral, explain(r)).toEqual([]);
    expect(r.mutated).toBe(0);
  }, 60_000);

  it('catches every mutation with its own check, and with no other', async () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(15);
    for (const m of MUTATIONS) expect(Object.keys(allChecks), m.name).toContain(m.check);
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
    const t0 = Date.now();
    const rows = await runMutations(MUTATIONS, freshMock, 2);
    console.log(`${formatTable(rows)}\n${rows.filter((r) => r.caught && !r.collateral.length).length} of ${rows.length} mutations caught by their own check alone; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const wrong = rows.filter((r) => !r.caught || r.collateral.length || r.mutated === 0);
    expect(wrong.map(explain), wrong.map(explain).join('\n\n')).toEqual([]);
  }, 300_000);
});
