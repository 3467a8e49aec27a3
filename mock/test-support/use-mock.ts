// One real mock on an ephemeral loopback port per test file: started before its tests, closed
// after them. The default widens the pro plan so a file's many requests never meet a 429 unless
// the file chooses its own plans.
import { afterAll, beforeAll } from 'vitest';
import { startMock, type RunningMock, type StartMockOptions } from '../server.ts';

export const ROOMY_PRO_PLAN = { pro: { perMinute: 6_000, perDay: 100_000, burst: 5_000 } };

/** Registers the hooks; the returned function gives the running mock inside tests. */
export function useMock(opts: StartMockOptions = { config: { plans: ROOMY_PRO_PLAN } }): () => RunningMock {
  let mock: RunningMock | undefined;
  beforeAll(async () => {
    mock = await startMock({ port: 0, quiet: true, ...opts });
  });
  afterAll(async () => {
    await mock?.close();
  });
  return () => {
    if (!mock) throw new Error('the mock is not running (useMock hooks have not run)');
    return mock;
  };
}
