import { ConfigurationError, createLogger, readEnvironment } from '@bytebot/config';
import { desktopSessionFromEnvironment } from './desktop-session-from-environment.ts';
import { startBytebotd } from './start-bytebotd.ts';

const log = createLogger('bytebotd', process.env.BYTEBOT_LOG_LEVEL === 'debug' ? 'debug' : 'info');

async function main(): Promise<void> {
  const environment = readEnvironment();
  const session = desktopSessionFromEnvironment(environment.display);
  const running = await startBytebotd({
    environment,
    session,
    log,
    vnc: { host: '127.0.0.1', port: environment.vncPort, password: environment.vncPassword || undefined },
  });
  const stop = (signal: string) => {
    log.info(`${signal}: stopping`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  log.error(error instanceof ConfigurationError ? error.message : ((error as Error).stack ?? String(error)));
  process.exit(1);
});
