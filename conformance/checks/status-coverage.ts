// status-coverage (opt-in): every status an operation declares was observed at least once during
// the run, so a declared-but-unreachable answer (or a check that never provokes it) shows up.
// It judges the run as a whole, after every other check (`final`). Off by default: a correct
// server cannot be made to answer 500 or 503 on demand; enable it with
// `--severity status-coverage=warning` (or error) and read the coverage table.
// Limits: ranges (`4XX`) and `default` count as observed by any status they cover.
import type { Check } from '../types.ts';

function covers(key: string, status: number): boolean {
  const s = String(status);
  return key === s || key.toUpperCase() === `${s[0]}XX` || key === 'default';
}

export const statusCoverage: Check = {
  id: 'status-coverage',
  title: 'Every declared status is observed',
  description: 'Each operation\'s declared statuses were all observed during the run (status coverage as a gate; opt-in).',
  final: true,
  async run(ctx) {
    for (const op of ctx.operations()) {
      const seen = ctx.observedStatuses(op.operationId);
      const missing = op.responses.map((r) => r.key).filter((k) => !seen.some((s) => covers(k, s)));
      if (!missing.length) ctx.pass(op.operationId);
      else ctx.fail({ operationId: op.operationId, message: `declared ${missing.join(', ')} never observed (observed: ${seen.sort().join(', ') || 'nothing'}); provoke it or drop it from the contract`, expected: op.responses.map((r) => r.key).join(', '), actual: seen.join(', ') });
    }
  },
};
