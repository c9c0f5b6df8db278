import { ConfigurationError, createLogger, readEnvironment, tokenFilePath } from '@bytebot/config';
import { desktopUserName, ensureDesktopUser, startDesktop } from '@bytebot/desktop';
import { startBytebotd } from './start-bytebotd.ts';

/** Standalone mode: the desktop (Xvfb, XFCE, x11vnc) and bytebotd together, until Ctrl-C. */
const log = createLogger('standalone', process.env.BYTEBOT_LOG_LEVEL === 'debug' ? 'debug' : 'info');

async function main(): Promise<void> {
  const environment = readEnvironment();
  if (environment.vncPassword === false) {
    log.warn(
      'BYTEBOT_VNC_PASSWORD=off: the VNC server asks no password (for VNC clients that cannot send one, such as ' +
        "the original Bytebot UI's live view). It listens on 127.0.0.1 only: use on a machine of your own.",
    );
  }
  // `npm start -- --desktops N` names an account per desktop, so that one desktop's files are not another's.
  const user = await ensureDesktopUser(process.env.BYTEBOT_DESKTOP_USER?.trim() || desktopUserName);
  log.info(
    `starting the desktop on ${environment.display} (${environment.screen.width}x${environment.screen.height}) for user ${user.name}`,
  );
  const desktop = await startDesktop({
    display: environment.display,
    screen: environment.screen,
    session: 'xfce',
    vnc: { port: environment.vncPort, password: environment.vncPassword },
    user,
    log: (line) => log.info(line),
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await running?.close().catch(() => undefined);
    await desktop.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  let running: Awaited<ReturnType<typeof startBytebotd>> | undefined;
  try {
    await desktop.ready(90_000);
    running = await startBytebotd({
      environment,
      session: { display: desktop.display, user, environment: desktop.environment() },
      log: createLogger('bytebotd', process.env.BYTEBOT_LOG_LEVEL === 'debug' ? 'debug' : 'info'),
      vnc:
        desktop.vncPort === undefined
          ? undefined
          : { host: '127.0.0.1', port: desktop.vncPort, password: desktop.vncPassword },
    });
  } catch (error) {
    log.error((error as Error).stack ?? String(error));
    await stop(1);
    return;
  }
  const tokenHint = environment.authenticationEnabled
    ? environment.token
      ? 'the token is BYTEBOT_TOKEN'
      : `the token is in ${tokenFilePath(environment.dataDirectory)}`
    : 'authentication is OFF';
  process.stdout.write(
    [
      '',
      'Bytebot desktop is ready.',
      `  computer-use API  POST ${running.url}/computer-use   (${tokenHint})`,
      `  health            GET  ${running.url}/health`,
      `  OpenAPI           GET  ${running.url}/openapi.json`,
      `  live view         ${running.url}/novnc/vnc.html?autoconnect=1&resize=scale&path=websockify%3Ftoken%3D<token>${desktop.vncPassword === undefined ? ' (no VNC password)' : '#password=<VNC password from GET /live-view>'}`,
      `  display           ${desktop.display} (VNC on 127.0.0.1:${desktop.vncPort})`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  log.error(error instanceof ConfigurationError ? error.message : ((error as Error).stack ?? String(error)));
  process.exit(1);
});
