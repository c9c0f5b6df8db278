import { type RunningDesktop, startDesktop } from '@bytebot/desktop';
import { type BytebotdProcess, startBytebotdProcess } from './bytebotd-process.ts';

export interface TestDesktop {
  desktop: RunningDesktop;
  bytebotd: BytebotdProcess;
  stop(): Promise<void>;
}

export interface TestDesktopOptions {
  session?: 'xfce' | 'none';
  /** A VNC server with a password of its own, or (BYTEBOT_VNC_PASSWORD=off) without one. */
  vnc?: boolean | 'without-password';
  screen?: { width: number; height: number };
  /** bytebotd's environment. */
  environment?: Record<string, string>;
}

/** A fresh display of its own (XFCE unless told otherwise), with bytebotd driving it. */
export async function startTestDesktop(options: TestDesktopOptions = {}): Promise<TestDesktop> {
  const desktop = await startDesktop({
    display: 'auto',
    screen: options.screen ?? { width: 1280, height: 960 },
    session: options.session ?? 'xfce',
    vnc: options.vnc
      ? { port: 0, ...(options.vnc === 'without-password' ? { password: false } : {}) }
      : false,
  });
  try {
    await desktop.ready(60_000);
    const bytebotd = await startBytebotdProcess({
      display: desktop.display,
      xauthority: desktop.xauthority,
      vncPort: desktop.vncPort,
      environment: {
        ...(desktop.vncPassword ? { BYTEBOT_VNC_PASSWORD: desktop.vncPassword } : {}),
        ...options.environment,
      },
    });
    return {
      desktop,
      bytebotd,
      async stop() {
        await bytebotd.stop();
        await desktop.stop();
      },
    };
  } catch (error) {
    await desktop.stop();
    throw error;
  }
}
