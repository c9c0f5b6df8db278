import { execFileSync } from 'node:child_process';
import type { RunningDesktop } from '@bytebot/desktop';
import { finishedTaskStatuses } from '@bytebot/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import { type RecordedRequest, reply } from './support/scripted-anthropic-server.ts';

/** Where X itself says the pointer is. */
function pointerOnX(desktop: RunningDesktop): { x: number; y: number } {
  const location = execFileSync('xdotool', ['getmouselocation'], {
    env: { ...process.env, ...desktop.environment() },
    encoding: 'utf8',
  });
  const match = /x:(\d+) y:(\d+)/.exec(location);
  return { x: Number(match?.[1]), y: Number(match?.[2]) };
}

describe('model-sized screenshots and coordinates mapped back to the screen', () => {
  let fixture: AgentFixture;

  beforeAll(async () => {
    // Sonnet 4.6 takes at most 1568 px and 1.15 megapixels, so it is shown a scaled picture (the default
    // model takes this screen as it is).
    fixture = await startAgentFixture({ desktop: { session: 'none' }, model: 'claude-sonnet-4-6' });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('lands the pointer on the real screen where the model pointed in its scaled picture', async () => {
    const { client, desktop, model } = fixture;
    // Claude is told 1238x928 for this 1280x960 screen; these are its corners and centre.
    const targets = [
      { model: [0, 0], screen: { x: 0, y: 0 } },
      { model: [1237, 927], screen: { x: 1279, y: 959 } },
      { model: [1237, 0], screen: { x: 1279, y: 0 } },
      { model: [619, 464], screen: { x: 640, y: 480 } },
    ];
    const landed: Array<{ x: number; y: number }> = [];
    const steps = targets.map(({ model: [x, y] }) => async (request: RecordedRequest) => {
      // Where the previous move put the pointer, asked of X before the model's next move.
      if (request.body.messages.length > 1) landed.push(pointerOnX(desktop));
      return reply.computer({ action: 'mouse_move', coordinate: [x, y] })(request);
    });
    model.play([
      ...steps,
      async (request) => {
        landed.push(pointerOnX(desktop));
        return reply.computer({ action: 'cursor_position' })(request);
      },
      reply.tool('set_task_status', { status: 'completed', description: 'Pointed at the corners.' }),
    ]);
    const before = model.requests.length;
    const task = await client.createTask({ description: 'Point at the corners' });
    const finished = await client.waitForTask(task.id, finishedTaskStatuses, { timeoutMs: 60_000 });
    expect(finished.status).toBe('COMPLETED');
    for (const [index, target] of targets.entries()) {
      const point = landed[index];
      expect(Math.abs((point?.x ?? -9) - target.screen.x)).toBeLessThanOrEqual(1);
      expect(Math.abs((point?.y ?? -9) - target.screen.y)).toBeLessThanOrEqual(1);
    }
    const requests = model.requests.slice(before);
    expect(requests[0]?.body.tools?.[0]).toMatchObject({ display_width_px: 1238, display_height_px: 928 });
    // The screenshot the model gets is the size it was told.
    const image = JSON.stringify(requests[1]?.body.messages.at(-1)).match(/"data":"([A-Za-z0-9+/=]+)"/)?.[1];
    const metadata = await sharp(Buffer.from(image ?? '', 'base64')).metadata();
    expect([metadata.width, metadata.height]).toEqual([1238, 928]);
    // The pointer's position comes back in the model's picture too: the centre it moved to.
    expect(JSON.stringify(requests.at(-1)?.body.messages.at(-1))).toMatch(
      /The pointer is at \((618|619|620), (463|464|465)\)/,
    );
  });
});
