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
import { scriptService } from './script-service.ts';

/**
 * `npm start`: the whole of Bytebot on this machine — the desktop and bytebotd, the agent, the UI —
 * each its own process, started in order, each waited for until healthy, all stopped on Ctrl-C.
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

async function main(): Promise<void> {
  loadEnvironmentFile();
  const environment = readEnvironment();
  ensureDesktopPackages();
  ensureUiBuild();
  makeDataDirectoryPrivate(environment.dataDirectory, { umask: false });
  // One token for all three, generated once into the data directory (mode 0600).
  const token = environment.authenticationEnabled
    ? ensureToken({ token: environment.token, dataDirectory: environment.dataDirectory })
    : undefined;
  const uiPort = process.env.UI_PORT || '9992';
  const host = environment.host.includes(':') ? `[${environment.host}]` : environment.host;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(token ? { BYTEBOT_TOKEN: token } : {}),
    BYTEBOTD_URL: environment.bytebotdUrl,
    AGENT_URL: environment.agentUrl,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const services = [
    scriptService({
      name: 'desktop',
      script: 'packages/bytebotd/src/standalone.main.ts',
      env,
      healthUrl: `${environment.bytebotdUrl}/health`,
      print,
    }),
    scriptService({
      name: 'agent',
      script: 'packages/agent/src/agent.main.ts',
      env,
      healthUrl: `${environment.agentUrl}/health`,
      print,
    }),
    scriptService({
      name: 'ui',
      script: 'packages/ui/server/ui-server.ts',
      env,
      healthUrl: `http://${host}:${uiPort}/health`,
      print,
    }),
  ];

  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    print('stopping Bytebot...');
    for (const service of [...services].reverse()) await service.stop();
    print('stopped.');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  // Once everything is up, a service that dies is started again, the others left running: a crash of the
  // agent must not take the desktop and the UI with it. Waits double from 1 s to 30 s while it keeps dying.
  let ready = false;
  const supervise = (service: (typeof services)[number]) => {
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
        service.waitUntilHealthy(service.name === 'desktop' ? 120_000 : 60_000).then(
          () => print(`${service.name} is ready again`),
          (error: Error) => print(`${service.name} did not come back: ${error.message.split('\n')[0]}`),
        );
      }, wait);
    };
    service.start(onExit);
  };

  for (const service of services) {
    supervise(service);
    try {
      await service.waitUntilHealthy(service.name === 'desktop' ? 120_000 : 60_000);
    } catch (error) {
      print((error as Error).message);
      await stopAll(1);
      return;
    }
    print(`${service.name} is ready`);
  }
  ready = true;
  print(
    [
      '',
      `Bytebot is ready: open http://${host}:${uiPort}`,
      `  agent API ${environment.agentUrl}   bytebotd ${environment.bytebotdUrl}`,
      token
        ? `  the API token is in ${environment.token ? 'BYTEBOT_TOKEN' : tokenFilePath(environment.dataDirectory)}`
        : '  authentication is OFF',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  print(error instanceof ConfigurationError ? error.message : ((error as Error).stack ?? String(error)));
  process.exit(1);
});
