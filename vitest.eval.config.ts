import { defineConfig } from 'vitest/config';

/**
 * `npm run test:eval`: the evaluation suite checked against itself on real desktops (every task's checker
 * against its setup and near misses, every solution through the agent, the stand-in models, the
 * OSWorld-format folder, the runner's isolation and reports). Kept out of `npm test` so that stays within
 * its half hour on two cores; it takes about as long again. One file at a time, as in vitest.config.ts.
 */
export default defineConfig({
  test: {
    include: ['tests/eval/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default', './tests/support/closing-line-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
