import type { AgentMessage } from '@bytebot/protocol';
import type { CheckResult } from './eval-task.ts';

/** The model's last words on a task, and the status it asked for when they came with set_task_status. */
export interface FinalWords {
  text: string | null;
  requested?: 'completed' | 'needs_help' | 'failed';
}

/**
 * The model's last words: the description of its set_task_status call, else its last text. Read from the
 * conversation rather than the task's error, which may be the agent's own (a step limit reached), not the
 * model's.
 */
export function finalWords(messages: AgentMessage[]): FinalWords {
  for (const message of [...messages].reverse()) {
    if (message.role !== 'assistant') continue;
    const blocks = message.content;
    const status = blocks.findLast((block) => block.type === 'tool_use' && block.name === 'set_task_status');
    if (status?.type === 'tool_use') {
      const { status: requested, description } = status.input as { status?: unknown; description?: unknown };
      if (typeof description === 'string') {
        return requested === 'completed' || requested === 'needs_help' || requested === 'failed'
          ? { text: description, requested }
          : { text: description };
      }
    }
    const text = blocks.findLast((block) => block.type === 'text' && block.text.trim() !== '');
    if (text?.type === 'text') return { text: text.text };
  }
  return { text: null };
}

/**
 * Whether a task passed. A feasible task: the agent ended it COMPLETED and the checker passed (a checker
 * alone would pass a model that did the work and then asked for help anyway). A task that cannot be done:
 * the model itself ended it NEEDS_HELP or FAILED with a reason, and the checker (which looks that nothing
 * changed) passed; a task stopped by a limit, or claimed done, did not refuse.
 */
export function judgeOutcome(outcome: {
  feasible: boolean;
  status: string;
  words: FinalWords;
  checked: CheckResult;
}): CheckResult {
  const { feasible, status, words, checked } = outcome;
  if (feasible) {
    if (status !== 'COMPLETED')
      return { passed: false, detail: `ended ${status}, not COMPLETED; ${checked.detail}` };
    return checked;
  }
  const refused = (status === 'NEEDS_HELP' || status === 'FAILED') && words.requested !== undefined;
  if (!refused || words.requested === 'completed')
    return {
      passed: false,
      detail: `a task that cannot be done ended ${status} without the model refusing it; ${checked.detail}`,
    };
  if (!words.text?.trim())
    return { passed: false, detail: `the model ended it ${status} without a reason; ${checked.detail}` };
  return checked.passed ? { passed: true, detail: `refused (${status}); ${checked.detail}` } : checked;
}
