import { defineConfig } from 'vitest/config';

/**
 * `npm run test:containers`: the container path, built and run on this machine (podman, docker-compose
 * 1.29, the real Dockerfiles and compose files). Not part of `npm test` (vitest.config.ts leaves
 * tests/containers out): it installs packages, builds images and takes minutes. One file, its steps in
 * order; each step has its own time limit.
 */
export default defineConfig({
  test: {
    include: ['tests/containers/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default', './tests/support/closing-line-reporter.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
