import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Desktop tests each start their own X server and processes: forks isolate native modules and
    // their X connections per file; two at a time suits the 2-core machines this runs on.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './tests/support/closing-line-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
