import { defineConfig } from 'vitest/config';

// Two cores: run test files in two forked workers; servers in tests bind ephemeral loopback ports.
export default defineConfig({
  test: {
    include: ['{openapi,mock,conformance,scripts,load,generated}/**/*.test.ts'],
    exclude: ['node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
    hookTimeout: 60_000,
  },
});
