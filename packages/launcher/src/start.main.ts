import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigurationError,
  ensureToken,
  makeDataDirectoryPrivate,
  readEnvironment,
  tokenFilePath,
} from '@bytebot/config';
import type { ChildService } from './child-service.ts';
import { launcherUsage, parseLauncherArguments } from './launcher-arguments.ts';
import { type PairPlan, planPairs } from './pair-plan.ts';
import { pairServices } from './pair-services.ts';
import { readyMessage } from './ready-message.ts';
import { scriptService } from './script-service.ts';
import { requireSharedStores } from './shared-stores.ts';

/**
 * `npm start`: the whole of Bytebot on this machine — the desktop and bytebotd, the agent, the UI —
 * each its own process, started in order, each waited for until healthy, all stopped on Ctrl-C.
 * `npm start -- --desktops N` runs N desktop+agent pairs as one fleet on a shared PostgreSQL and Redis.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const print = (line: string) => process.stdout.write(`${line}\n`);

function loadEnvironmentFile(): void {
  const file = join(process.cwd(), '.env');
  // Variables already set win over the file, so a one-off `X=1 npm start` still works.
  if (existsSync(file)) process.loadEnvFile(file);
}

function ensureDesktopPackages(): void {
  const result = spawnSync('bash', [join(root, 'packages/desktop/scripts/install-desktop.sh')], {
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error('the desktop packages are missing; run the command printed above, then npm start again');
}

function ensureUiBuild(): void {
  if (existsSync(join(root, 'packages/ui/.next/BUILD_ID'))) return;
  print('building the UI (once)...');
  const result = spawnSync('npm', ['run', 'build:ui'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('the UI build failed (see above)');
}

/** The services of one stage start together; the next stage starts once all of them are healthy. */
interface Stage {
  services: ChildService[];
  /** How long a service of this stage may take to answer its health check. */
  timeoutMs: number;
}

async function main(): Promise<void> {
  const options = parseLauncherArguments(process.argv.slice(2));
  if (options.help) {
    print(launcherUsage);
    return;
  }
  loadEnvironmentFile();
  const environment = readEnvironment();
  requireSharedStores(environment, options.desktops);
  ensureDesktopPackages();
  ensureUiBuild();
  makeDataDirectoryPrivate(environment.dataDirectory, { umask: false });
  // One token for every part and every pair, generated once into the data directory (mode 0600).
  const token = environment.authenticationEnabled
    ? ensureToken({ token: environment.token, dataDirectory: environment.dataDirectory })
    : undefined;
  const uiPort = process.env.UI_PORT || '9992';
  const host = environment.host.includes(':') ? `[${environment.host}]` : environment.host;
  const pairs = await planPairs({
    desktops: options.desktops,
    environment,
    source: process.env,
    uiPort: Number(uiPort),
    isRoot: process.getuid?.() === 0,
  });
  const first = pairs[0] as PairPlan;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(token ? { BYTEBOT_TOKEN: token } : {}),
    BYTEBOTD_URL: first.bytebotdUrl,
    AGENT_URL: first.agentUrl,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const { desktops, agents } = pairServices(pairs, env, print);
  const ui = scriptService({
    name: 'ui',
    script: 'packages/ui/server/ui-server.ts',
    env,
    healthUrl: `http://${host}:${uiPort}/health`,
    print,
  });
  // Desktops started side by side share the cores: each may take longer than one alone.
  const stages: Stage[] = [
    { services: desktops, timeoutMs: 120_000 + 20_000 * (pairs.length - 1) },
    { services: agents, timeoutMs: 120_000 + 20_000 * (pairs.length - 1) },
    { services: [ui], timeoutMs: 60_000 },
  ];
  const timeoutOf = new Map(
    stages.flatMap((stage) => stage.services.map((service) => [service, stage.timeoutMs])),
  );

  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    print('stopping Bytebot...');
    // The UI first, then the agents (each hands its task back to the queue), then the desktops.
    for (const stage of [...stages].reverse())
      await Promise.all(stage.services.map((service) => service.stop()));
    print('stopped.');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  // Once everything is up, a service that dies is started again, the others left running: a crash of the
  // agent must not take the desktop and the UI with it, nor one pair's the other pairs. Waits double from
  // 1 s to 30 s while it keeps dying.
  let ready = false;
  const supervise = (service: ChildService) => {
    let backoffMs = 1000;
    let startedAt = Date.now();
    const onExit = (code: number | null) => {
      if (stopping) return;
      if (!ready) {
        print(`${service.name} exited unexpectedly (code ${code}) while starting; stopping the rest`);
        void stopAll(1);
        return;
      }
      // A service that ran for a minute had recovered: its next crash starts the waits over.
      if (Date.now() - startedAt > 60_000) backoffMs = 1000;
      print(`${service.name} exited unexpectedly (code ${code}); restarting it in ${backoffMs / 1000} s`);
      const wait = backoffMs;
      backoffMs = Math.min(30_000, backoffMs * 2);
      setTimeout(() => {
        if (stopping) return;
        startedAt = Date.now();
        service.start(onExit);
        service.waitUntilHealthy(timeoutOf.get(service) ?? 60_000).then(
          () => print(`${service.name} is ready again`),
          (error: Error) => print(`${service.name} did not come back: ${error.message.split('\n')[0]}`),
        );
      }, wait);
    };
    service.start(onExit);
  };

  for (const stage of stages) {
    for (const service of stage.services) supervise(service);
    try {
      await Promise.all(
        stage.services.map(async (service) => {
          await service.waitUntilHealthy(stage.timeoutMs);
          print(`${service.name} is ready`);
        }),
      );
    } catch (error) {
      print((error as Error).message);
      await stopAll(1);
      return;
    }
  }
  ready = true;
  print(
    readyMessage({
      pairs,
      uiUrl: `http://${host}:${uiPort}`,
      tokenHint: token
        ? `the API token is in ${environment.token ? 'BYTEBOT_TOKEN' : tokenFilePath(environment.dataDirectory)}`
        : 'authentication is OFF',
    }),
  );
}

main().catch((error: unknown) => {
  print(error instanceof ConfigurationError ? error.message : ((error as Error).stack ?? String(error)));
  process.exit(1);
});
