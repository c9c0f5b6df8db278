import type { BytebotdClient } from '@bytebot/client';
import type { ComputerActionInput } from '@bytebot/protocol';
import type { SolutionStep } from './eval-task.ts';

/**
 * Plays a solution straight on bytebotd, each action followed by a settled (small) screenshot, as the agent
 * waits for the screen between steps. For checking a suite's solutions without the agent.
 */
export async function playSolution(client: BytebotdClient, steps: SolutionStep[]): Promise<void> {
  for (const step of steps) {
    const settles =
      step.action !== 'screenshot' && step.action !== 'zoom' && step.action !== 'cursor_position';
    await client.action(
      (settles
        ? { ...step, screenshotAfter: { format: 'jpeg', width: 320, height: 240 } }
        : step) as ComputerActionInput,
    );
  }
}
