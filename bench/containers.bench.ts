/**
 * The container figures: image sizes, cold and cached build times, and the time from `compose up` to a
 * ready stack (every health check green, the UI answering). Podman and docker-compose 1.29, as
 * `npm run test:containers` uses them. Not part of `npm run bench`: a cold build takes minutes.
 *
 *   node --import tsx bench/containers.bench.ts                     cold (--no-cache) and cached builds, ready time
 *   node --import tsx bench/containers.bench.ts --cached             cached builds and ready time only
 *   node --import tsx bench/containers.bench.ts --with-base-images   also make the base images again (--force)
 *
 * A cold build here still uses the base images (localhost/node:20-bookworm-slim and localhost/debian:bookworm
 * where Docker Hub is out of reach); --with-base-images times making those too.
 */
import {
  buildImage,
  ComposeProject,
  freePort,
  imageNames,
  installPodman,
  prepareBaseImages,
  run,
  startHealthchecks,
  startPodmanService,
  until,
} from '../tests/containers/container-stack.ts';

const cachedOnly = process.argv.includes('--cached');
const withBaseImages = process.argv.includes('--with-base-images');
const readyRuns = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const rows: Array<[string, string]> = [];
  await installPodman();
  if (withBaseImages) {
    const { seconds } = await run('bash', ['deploy/local-base-images.sh', '--force'], {
      timeoutMs: 1_800_000,
    });
    rows.push(['base images made again (debootstrap, Node, PostgreSQL, Redis)', `${seconds.toFixed(1)} s`]);
  }
  const base = await prepareBaseImages();
  for (const name of imageNames) {
    const buildArgs = name === 'desktop' ? base.desktopBuildArgs : {};
    if (!cachedOnly) {
      const cold = await buildImage(name, buildArgs, { noCache: true });
      rows.push([`${name}: cold build (--no-cache)`, `${cold.seconds.toFixed(1)} s`]);
    }
    const cached = await buildImage(name, buildArgs);
    rows.push([`${name}: cached rebuild`, `${cached.seconds.toFixed(1)} s`]);
    rows.push([`${name}: image size`, `${(cached.bytes / 1e6).toFixed(0)} MB`]);
  }

  const service = await startPodmanService();
  const healthchecks = startHealthchecks();
  const uiPort = await freePort();
  const project = new ComposeProject(
    'bytebot-containers-bench',
    ['deploy/docker-compose.yml', ...base.composeOverrides],
    { ANTHROPIC_API_KEY: 'sk-ant-not-used', UI_PORT: String(uiPort), ...base.environment },
    service.socket,
  );
  try {
    await project.purge();
    const ready: number[] = [];
    for (let index = 0; index < readyRuns; index += 1) {
      const started = performance.now();
      await project.up();
      await project.waitHealthy(180_000);
      await until(
        'the UI',
        async () =>
          (await fetch(`http://127.0.0.1:${uiPort}/health`).catch(() => undefined))?.ok ? true : undefined,
        60_000,
      );
      ready.push((performance.now() - started) / 1000);
      // A fresh stack each time: new volumes, first start (the token and the database made again).
      await project.down({ volumes: true });
    }
    rows.push([
      `compose up to ready, from built images (median of ${readyRuns})`,
      `${median(ready).toFixed(1)} s (${ready.map((value) => value.toFixed(1)).join(', ')})`,
    ]);
  } finally {
    await project.down({ volumes: true }).catch(() => undefined);
    await project.purge().catch(() => undefined);
    await healthchecks?.stop();
    await service.stop();
  }

  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(
    `\ncontainers (${base.local ? 'base images made locally' : 'official base images'})\n`,
  );
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
