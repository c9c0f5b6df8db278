import { type BytebotdClient, BytebotdClientError } from '@bytebot/client';
import type { ComputerActionInput } from '@bytebot/protocol';
import sharp from 'sharp';
import { compareImages, defaultPixelThreshold } from './image-difference.ts';
import type { Trajectory, TrajectoryCall } from './trajectory-format.ts';

export interface ReplayOptions {
  /** Share of differing pixels (0 to 1) above which a screen counts as diverged; 0.02 if not given. */
  tolerance?: number;
  pixelThreshold?: number;
  signal?: AbortSignal;
  /** Called after each replayed call, for a progress line. */
  onProgress?: (progress: ReplayedCall) => void;
}

export interface ReplayedCall {
  step: number;
  call: string;
  /** Share of pixels that differ from the recording; null where the call had no screenshot to compare. */
  difference: number | null;
  ms: number;
}

export interface ReplayDivergence {
  step: number;
  call: string;
  /** Share of differing pixels, or null when an action failed that had succeeded in the recording. */
  difference: number | null;
  reason: string;
  /** PNG or the recording's format; the screen as recorded. */
  expected: Buffer | undefined;
  /** PNG: the screen now. */
  actual: Buffer | undefined;
  /** PNG: the screen now, dimmed, with the differing pixels in red. */
  differenceImage: Buffer | undefined;
}

export interface ReplayReport {
  status: 'completed' | 'diverged';
  totalSteps: number;
  /** Steps whose every call was carried out and matched. */
  replayedSteps: number;
  calls: ReplayedCall[];
  /** Calls left out because they do not act on the desktop, or their effect was not recorded. */
  skipped: Array<{ step: number; call: string; reason: string }>;
  divergence?: ReplayDivergence;
}

/** Calls that leave the desktop as it was: nothing to replay. */
const withoutDesktopEffect = new Set(['set_task_status', 'read_file']);
/** Actions whose result is not a screenshot of the whole screen, and that take no screenshotAfter. */
const withoutScreenshot = new Set(['screenshot', 'zoom', 'cursor_position', 'read_file']);

function describe(call: TrajectoryCall): string {
  return call.summary ?? call.name;
}

/**
 * Plays a recorded trajectory on a desktop without a model: each call's desktop actions in order, then
 * a screenshot once the screen settled, compared with the one recorded at that point. It stops at the
 * first screen that differs by more than the tolerance, or the first action that fails where it had
 * worked, with both images and their difference.
 */
export async function replayTrajectory(
  trajectory: Trajectory,
  client: BytebotdClient,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const tolerance = options.tolerance ?? 0.02;
  const report: ReplayReport = {
    status: 'completed',
    totalSteps: trajectory.steps.length,
    replayedSteps: 0,
    calls: [],
    skipped: [],
  };
  for (const step of trajectory.steps) {
    for (const call of step.calls) {
      options.signal?.throwIfAborted();
      if (!call.actions || call.actions.length === 0) {
        if (!withoutDesktopEffect.has(call.name) && call.result?.isError !== true) {
          report.skipped.push({
            step: step.index,
            call: describe(call),
            reason: `${call.name} recorded no desktop actions, so it cannot be replayed`,
          });
        }
        continue;
      }
      const started = Date.now();
      const recorded = call.screenshot ? trajectory.images.get(call.screenshot) : undefined;
      let actual: Buffer | undefined;
      try {
        actual = await playCall(client, call.actions as ComputerActionInput[], recorded, options.signal);
      } catch (error) {
        if (
          error instanceof BytebotdClientError &&
          (error.code === 'NETWORK' || error.code === 'DESKTOP_UNAVAILABLE')
        )
          throw error;
        // Stopped by its caller: not a divergence.
        options.signal?.throwIfAborted();
        // A call that failed when recorded may fail again: the model saw that error and went on.
        if (call.result?.isError) continue;
        const screen = await client.screenshot({ format: 'png' }).catch(() => undefined);
        report.status = 'diverged';
        report.divergence = {
          step: step.index,
          call: describe(call),
          difference: null,
          reason: `the action failed, where it had worked when recorded: ${(error as Error).message}`,
          expected: recorded ? Buffer.from(recorded) : undefined,
          actual: screen ? Buffer.from(screen.image, 'base64') : undefined,
          differenceImage: undefined,
        };
        return report;
      }
      let difference: number | null = null;
      if (recorded && actual) {
        const compared = await compareImages(
          recorded,
          actual,
          options.pixelThreshold ?? defaultPixelThreshold,
        );
        difference = compared.fraction;
        if (compared.fraction > tolerance) {
          report.calls.push({ step: step.index, call: describe(call), difference, ms: Date.now() - started });
          report.status = 'diverged';
          report.divergence = {
            step: step.index,
            call: describe(call),
            difference,
            reason: `${(compared.fraction * 100).toFixed(1)}% of the screen differs from the recording (tolerance ${(tolerance * 100).toFixed(1)}%)`,
            expected: Buffer.from(recorded),
            actual,
            differenceImage: compared.image,
          };
          return report;
        }
      }
      const replayed = { step: step.index, call: describe(call), difference, ms: Date.now() - started };
      report.calls.push(replayed);
      options.onProgress?.(replayed);
    }
    report.replayedSteps += 1;
  }
  return report;
}

/**
 * Carries out a call's actions; when the recording has a screenshot after it, returns one taken the same
 * way (once the screen settled, at the recording's size).
 */
async function playCall(
  client: BytebotdClient,
  actions: ComputerActionInput[],
  recorded: Uint8Array | undefined,
  signal: AbortSignal | undefined,
): Promise<Buffer | undefined> {
  const call = { signal };
  const last = actions.at(-1);
  // A zoom's picture is of a region; there is no whole screen to compare it with.
  if (!recorded || last?.action === 'zoom' || last?.action === 'cursor_position') {
    for (const action of actions) await client.action(action, call);
    return undefined;
  }
  const { width, height } = await sharp(recorded).metadata();
  const screenshotAfter = { format: 'png' as const, width, height };
  for (const action of actions.slice(0, -1)) await client.action(action, call);
  if (last && !withoutScreenshot.has(last.action)) {
    const result = (await client.action({ ...last, screenshotAfter } as ComputerActionInput, call)) as {
      screenshot?: { image: string };
    };
    if (result.screenshot) return Buffer.from(result.screenshot.image, 'base64');
  } else if (last) {
    await client.action(last, call);
  }
  const settled = (await client.action({ action: 'wait', duration: 0, screenshotAfter }, call)) as {
    screenshot?: { image: string };
  };
  return settled.screenshot ? Buffer.from(settled.screenshot.image, 'base64') : undefined;
}
