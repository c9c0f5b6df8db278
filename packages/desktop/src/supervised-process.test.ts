import { describe, expect, it } from 'vitest';
import { SupervisedProcess } from './supervised-process.ts';
import { waitUntil } from './wait-until.ts';

function sleeper(options: { beforeStart?: () => Promise<void>; onExit?: () => void } = {}) {
  const lines: string[] = [];
  const child = new SupervisedProcess({
    name: 'sleep',
    command: 'sleep',
    args: ['60'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    log: (line) => lines.push(line),
    ...options,
  });
  return { child, lines };
}

describe('SupervisedProcess', () => {
  it('restarts at once when asked, without counting it as a failure', async () => {
    let exits = 0;
    const { child, lines } = sleeper({ onExit: () => (exits += 1) });
    await child.start();
    try {
      for (let round = 1; round <= 3; round += 1) {
        const before = child.pid;
        child.restartNow();
        await waitUntil('the restart', () => child.pid !== undefined && child.pid !== before, {
          timeoutMs: 5_000,
          intervalMs: 10,
        });
      }
      expect(exits).toBe(3);
      expect(child.restarts).toBe(3);
      expect(lines.every((line) => line.endsWith('restarting in 0 ms'))).toBe(true);
    } finally {
      await child.stop();
    }
  });

  it('tries again when a restart fails, rather than giving up', async () => {
    let attempts = 0;
    const { child, lines } = sleeper({
      beforeStart: async () => {
        attempts += 1;
        // The first start works; the next two fail (say, the X server is not back yet).
        if (attempts === 2 || attempts === 3) throw new Error('not yet');
      },
    });
    await child.start();
    try {
      const first = child.pid as number;
      process.kill(first, 'SIGKILL');
      await waitUntil(
        'a restart after two failed ones',
        () => child.pid !== undefined && child.pid !== first,
        {
          timeoutMs: 10_000,
          intervalMs: 20,
        },
      );
      expect(attempts).toBe(4);
      expect(lines.filter((line) => line.includes('could not restart (not yet)'))).toHaveLength(2);
    } finally {
      await child.stop();
    }
  });
});
