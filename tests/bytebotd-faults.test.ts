import { existsSync, readFileSync } from 'node:fs';
import { BytebotdClientError } from '@bytebot/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

const screen = { width: 1280, height: 960 };

async function sleep(milliseconds: number): Promise<void> {
  await new Promise((resolvePromise) => setTimeout(resolvePromise, milliseconds));
}

function lockHolder(displayNumber: number): number | undefined {
  const lock = `/tmp/.X${displayNumber}-lock`;
  return existsSync(lock) ? Number.parseInt(readFileSync(lock, 'latin1').trim(), 10) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('bytebotd when its X server dies', () => {
  let test: TestDesktop;
  let displayNumber: number;

  beforeAll(async () => {
    test = await startTestDesktop({ screen });
    displayNumber = Number(test.desktop.display.slice(1));
  });

  afterAll(async () => {
    await test?.stop();
  });

  const xvfbPid = () => test.desktop.processes().find((child) => child.name === 'Xvfb')?.pid;

  /** A screenshot that decodes to a picture of the whole screen, or why not. */
  async function screenshotOutcome(): Promise<string> {
    try {
      const shot = await test.bytebotd.client.screenshot();
      const { info } = await sharp(shot.data).raw().toBuffer({ resolveWithObject: true });
      return info.width === screen.width && info.height === screen.height
        ? 'ok'
        : `${info.width}x${info.height}`;
    } catch (error) {
      return error instanceof BytebotdClientError ? `${error.status ?? ''} ${error.code}` : String(error);
    }
  }

  it('stays up through three kill -9 of Xvfb with screenshots in flight, and recovers each time', async () => {
    const { client, pid } = test.bytebotd;
    const recoveries: number[] = [];
    for (let round = 1; round <= 3; round += 1) {
      const killed = xvfbPid();
      expect(killed).toBeTypeOf('number');
      // Four callers taking screenshots back to back, before, during and after the X server's death.
      let firing = true;
      const outcomes: string[] = [];
      const callers = Array.from({ length: 4 }, async () => {
        while (firing) {
          outcomes.push(await screenshotOutcome());
          await sleep(20);
        }
      });
      await sleep(300);
      process.kill(killed as number, 'SIGKILL');
      const killedAt = performance.now();
      let recoveredAt: number | undefined;
      // Generous: the aim is 5 s, but two loaded cores are not the place to assert a time.
      while (recoveredAt === undefined && performance.now() - killedAt < 60_000) {
        const outcome = await screenshotOutcome();
        if (outcome === 'ok' && xvfbPid() !== killed) recoveredAt = performance.now();
        else await sleep(50);
      }
      firing = false;
      await Promise.all(callers);
      expect(recoveredAt, `no screenshot within 60 s of killing Xvfb in round ${round}`).toBeDefined();
      recoveries.push((recoveredAt as number) - killedAt);

      expect(isAlive(pid)).toBe(true);
      expect(test.bytebotd.output()).not.toMatch(/X connection|Segmentation|fatal IO error/i);
      // While the display was gone the answer was 503 DESKTOP_UNAVAILABLE, never a crash or a hang.
      expect(outcomes.filter((outcome) => outcome !== 'ok' && outcome !== '503 DESKTOP_UNAVAILABLE')).toEqual(
        [],
      );
      expect(outcomes).toContain('ok');
      // The lock file is the new server's, not the dead one's.
      const restarted = xvfbPid() as number;
      expect(restarted).not.toBe(killed);
      expect(lockHolder(displayNumber)).toBe(restarted);
      // The session comes back on the new server (panel and desktop), as after a fresh start.
      await test.desktop.ready(60_000);
    }
    console.log(
      `recovered (first correct screenshot after kill -9 of Xvfb) in ${recoveries.map((time) => `${Math.round(time)} ms`).join(', ')}`,
    );

    // Input is back too: the pointer goes where it is sent, and keys are pressed.
    await client.moveMouse({ x: 321, y: 234 });
    expect(await client.cursorPosition()).toEqual({ x: 321, y: 234 });
    await client.typeKeys(['shift']);
    expect((await client.health()).status).toBe('ok');
  });

  it('leaves no lock file or socket behind once stopped', async () => {
    const pids = test.desktop.processes().map((child) => child.pid as number);
    await test.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(existsSync(`/tmp/.X${displayNumber}-lock`)).toBe(false);
    expect(existsSync(`/tmp/.X11-unix/X${displayNumber}`)).toBe(false);
  });
});
