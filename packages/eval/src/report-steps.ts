import type { TrajectoryCall, TrajectoryStep } from '@bytebot/trajectory';

/** One model turn as report.html shows it: what it did in a line, its words, and the screen after. */
export interface EvalStep {
  index: number;
  /** Each call's line for people ("Clicked at (512, 300)"), joined with "; ". */
  summary: string;
  /** The model's own text of that turn (shortened: report.json stays small). */
  words: string;
  /** Relative to the report folder: the screen after the step, or null when the step took none. */
  screenshot: string | null;
  /** Whether one of its calls came back as an error. */
  failed: boolean;
}

const maxWords = 1000;

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function callLine(call: TrajectoryCall): string {
  // Older trajectories (and imported ones) may lack the agent's summary: the tool's name still says something.
  const line = call.summary ?? call.name;
  return call.result?.isError ? `${line} (error: ${shorten(call.result.text, 80)})` : line;
}

/**
 * The steps of a trajectory for the report; `fileOf` maps an archive screenshot path to the file the
 * runner wrote it to, so a step points at a picture beside report.html rather than inside the zip.
 */
export function listSteps(steps: TrajectoryStep[], fileOf: ReadonlyMap<string, string>): EvalStep[] {
  return steps.map((step) => ({
    index: step.index,
    summary: step.calls.length > 0 ? step.calls.map(callLine).join('; ') : 'No action',
    words: shorten(step.text, maxWords),
    screenshot: (step.screenshotAfter && fileOf.get(step.screenshotAfter)) || null,
    failed: step.calls.some((call) => call.result?.isError === true),
  }));
}
