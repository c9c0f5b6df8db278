import type { ToolResultBlock } from '@bytebot/protocol';
import type { RunningClock } from '../guards/running-clock.ts';
import type { ToolCall } from '../model/model-provider.ts';
import type { ScreenScaling } from '../model/screen-scaling.ts';
import { answer } from './call-notes.ts';
import type { TakeoverGate } from './takeover-gate.ts';
import type { StatusRequest, ToolExecutor } from './tool-executor.ts';

const handedBack =
  'A person took control of the desktop and has handed it back; this action was not carried out. ' +
  'The screen may have changed: take a screenshot before going on.';

export interface BatchOutcome {
  results: ToolResultBlock[];
  statusRequest?: StatusRequest;
  /** The task was cancelled or ended elsewhere while the calls ran. */
  stopped: boolean;
}

/**
 * The tool calls of one model turn, in order, each behind the takeover gate. Every call gets a result,
 * also those not carried out, so the stored conversation stays valid for the API and a later resume.
 */
export class CallBatch {
  constructor(
    private readonly executor: ToolExecutor,
    private readonly gate: TakeoverGate,
  ) {}

  async run(
    taskId: string,
    calls: ToolCall[],
    context: {
      signal: AbortSignal;
      scaling: ScreenScaling;
      clock?: RunningClock | undefined;
      withheld?: ReadonlySet<string>;
    },
  ): Promise<BatchOutcome> {
    const { signal, scaling, clock, withheld } = context;
    const results: ToolResultBlock[] = [];
    let statusRequest: StatusRequest | undefined;
    const lastComputerCall = calls.findLast((call) => call.kind === 'computer');
    // Toolsets whose calls stop for the rest of the turn: one of their calls failed.
    const failed = new Set<string>();
    for (const [index, call] of calls.entries()) {
      const gate = await this.gate.pass(taskId, signal, clock);
      if (gate !== 'go') {
        for (const skipped of calls.slice(index)) {
          results.push(
            answer(
              skipped,
              gate === 'resumed' ? handedBack : 'The task was stopped before this action.',
              true,
            ),
          );
        }
        return { results, stopped: gate === 'stop' };
      }
      const sequence = call.kind === 'function' ? undefined : call.sequence;
      if (sequence && failed.has(sequence.family)) {
        results.push(answer(call, sequence.notExecuted, true));
        continue;
      }
      const outcome = await this.executor.execute(call, {
        taskId,
        signal,
        scaling,
        screenshot: call === lastComputerCall || (call.kind === 'computer' && call.alwaysScreenshot === true),
        ...(withheld ? { withheld } : {}),
      });
      const result = sequence ? { ...outcome.result, toolset_name: sequence.family } : outcome.result;
      if (sequence && result.is_error) failed.add(sequence.family);
      results.push(result);
      statusRequest ??= outcome.statusRequest;
    }
    return { results, ...(statusRequest ? { statusRequest } : {}), stopped: false };
  }
}
