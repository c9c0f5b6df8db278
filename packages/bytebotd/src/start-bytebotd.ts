import type { AddressInfo } from 'node:net';
import type { Logger } from '@bytebot/config';
import { type BytebotEnvironment, createAuthorize, ensureToken, RateLimiter } from '@bytebot/config';
import { canConnect } from '@bytebot/desktop';
import type { Health } from '@bytebot/protocol';
import { Applications } from './computer/applications.ts';
import { Computer } from './computer/computer.ts';
import type { DesktopSession } from './computer/desktop-session.ts';
import { HomeFiles } from './computer/home-files.ts';
import { shareScreen } from './computer/shared-screen.ts';
import { connectX11Keyboard } from './input/x11-keyboard.ts';
import { connectX11Mouse } from './input/x11-mouse.ts';
import { connectX11Screen } from './input/x11-screen.ts';
import { createBytebotdServer } from './server/http-server.ts';

export const bytebotdVersion = '0.1.0';

export interface BytebotdOptions {
  environment: BytebotEnvironment;
  session: DesktopSession;
  log: Logger;
  /** VNC server to proxy the live view to; undefined turns /websockify off. */
  vnc?: { host: string; port: number; password?: string | undefined } | undefined;
}

export interface RunningBytebotd {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startBytebotd(options: BytebotdOptions): Promise<RunningBytebotd> {
  const { environment, session, log } = options;
  // For whatever reads the display from the environment (the x11 package's cookie look-up without a file).
  process.env.DISPLAY = session.display;
  if (session.environment.XAUTHORITY) process.env.XAUTHORITY = session.environment.XAUTHORITY;

  let token: string | undefined;
  if (environment.authenticationEnabled) {
    token = ensureToken({ token: environment.token, dataDirectory: environment.dataDirectory });
  } else {
    log.warn(
      'BYTEBOT_AUTH=off: anyone who can reach this port can drive the desktop. Use only for local development.',
    );
  }

  // Keyboard, mouse and screen each hold an X connection of their own, opened again after the X server
  // restarts (meanwhile their actions answer 503 DESKTOP_UNAVAILABLE): bytebotd outlives its display.
  const xServer = { display: session.display, xauthority: session.environment.XAUTHORITY };
  const keyboard = await connectX11Keyboard(xServer);
  const mouse = await connectX11Mouse(xServer);
  const rawScreen = await connectX11Screen(xServer);
  const files = new HomeFiles(session.user);
  const computer = await Computer.create({
    mouse,
    keyboard,
    screen: shareScreen(rawScreen),
    files,
    applications: new Applications(session),
    session,
  });

  const health = async (): Promise<Health> => {
    let displayReady = false;
    let size: { width: number; height: number } | undefined;
    try {
      size = await computer.refreshScreenSize();
      displayReady = true;
    } catch {
      displayReady = false;
    }
    const vncReady = options.vnc
      ? await canConnect({ host: options.vnc.host, port: options.vnc.port }, 500)
      : false;
    const ready = displayReady;
    return {
      status: ready ? 'ok' : 'unavailable',
      display: session.display,
      ...(size ? { screen: size } : {}),
      checks: { display: displayReady, input: displayReady, vnc: vncReady },
      version: bytebotdVersion,
    };
  };

  const { server, close } = createBytebotdServer({
    computer,
    authorize: createAuthorize(token),
    health,
    version: bytebotdVersion,
    log,
    vnc: options.vnc,
    actionLimiter:
      environment.rateLimits.actionsPerMinute > 0
        ? new RateLimiter(environment.rateLimits.actionsPerMinute)
        : undefined,
  });
  await new Promise<void>((resolvePromise, rejectPromise) => {
    server.once('error', rejectPromise);
    server.listen(environment.bytebotdPort, environment.host, () => {
      server.off('error', rejectPromise);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${environment.host.includes(':') ? `[${environment.host}]` : environment.host}:${port}`;
  log.info(
    `listening on ${url} (display ${session.display}, ${computer.screen.width}x${computer.screen.height})`,
  );
  return {
    url,
    port,
    async close() {
      await close();
      await keyboard.releaseAll().catch(() => undefined);
      await keyboard.close().catch(() => undefined);
      await mouse.close().catch(() => undefined);
      await rawScreen.close().catch(() => undefined);
      await files.close().catch(() => undefined);
    },
  };
}
