import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // The container tests build images and run compose stacks: `npm run test:containers` (vitest.containers.config.ts).
    // The evaluation suite's own checks play its 54 tasks on desktops: `npm run test:eval` (vitest.eval.config.ts).
    exclude: [...configDefaults.exclude, 'tests/containers/**', 'tests/eval/**'],
    // Desktop tests each start their own X server and processes: forks isolate native modules and
    // their X connections per file. One file at a time: two desktops with Chromium on a 2-core machine
    // starve each other, and timing-sensitive checks (settling screens, pastes) then fail for no fault.
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default', './tests/support/closing-line-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
