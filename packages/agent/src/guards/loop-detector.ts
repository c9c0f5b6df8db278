import { createHash } from 'node:crypto';
import type { ToolResultBlock, ToolUseBlock } from '@bytebot/protocol';

export interface LoopSettings {
  /** Repeats after which the model is told, in the tool result, that it is going round in circles. */
  warnAfter: number;
  /** Repeats after which the task stops for a person. */
  stopAfter: number;
}

export interface LoopVerdict {
  /** The step's results, in order; a repeated action's result carries a note for the model. */
  results: ToolResultBlock[];
  /** Set when an action was repeated stopAfter times: why the task stops, for the person reading it. */
  stuck?: { repeats: number; reason: string };
}

/** JSON with object keys sorted, so inputs that differ only in key order are the same action. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What came back: the screenshot's pixels as sent (hashed, not kept); for a result without one, its text.
 * Text beside a screenshot (timings, pointer notes) is left out: the screen is what has to change.
 */
function outcome(result: ToolResultBlock): { fingerprint: string; screen: boolean } {
  const hash = createHash('sha1');
  const images = result.content.filter((part) => part.type === 'image');
  for (const image of images) hash.update(`image:${image.source.media_type}:`).update(image.source.data);
  if (images.length === 0) {
    for (const part of result.content) if (part.type === 'text') hash.update(`text:${part.text}\u0000`);
    hash.update(result.is_error ? 'error' : 'ok');
  }
  return { fingerprint: hash.digest('base64'), screen: images.length > 0 };
}

function withNote(result: ToolResultBlock, text: string): ToolResultBlock {
  return { ...result, content: [...result.content, { type: 'text', text }] };
}

/**
 * Notices the model doing the same thing (same tool, same input) again and again while nothing changes
 * (the screenshot after each is the same). One detector watches one run of a task: a person's message
 * that resumes the task starts a new count.
 */
export class LoopDetector {
  private last: { action: string; fingerprint: string } | undefined;
  private repeats = 0;

  constructor(private readonly settings: LoopSettings) {}

  /** Looks at one step: the model's tool calls and the results they got, before the results are stored. */
  observe(calls: ToolUseBlock[], results: ToolResultBlock[]): LoopVerdict {
    const byId = new Map(calls.map((call) => [call.id, call]));
    let stuck: LoopVerdict['stuck'];
    const checked = results.map((result) => {
      const call = byId.get(result.tool_use_id);
      if (!call) return result;
      const action = `${call.name}\u0000${canonical(call.input)}`;
      const { fingerprint, screen } = outcome(result);
      const same = this.last?.action === action && this.last.fingerprint === fingerprint;
      this.repeats = same ? this.repeats + 1 : 1;
      this.last = { action, fingerprint };
      const unchanged = screen ? 'the screen did not change' : 'the result was the same each time';
      if (this.repeats >= this.settings.stopAfter) {
        stuck ??= {
          repeats: this.repeats,
          reason:
            `Stopped because the model did the same thing ${this.repeats} times in a row and ${unchanged} ` +
            `(${call.summary ?? call.name}). It looks stuck: check the desktop, then send a message with a hint ` +
            'to let it go on.',
        };
        return withNote(
          result,
          `You have now done exactly this ${this.repeats} times in a row and ${unchanged}, so the task was ` +
            'stopped here and a person was asked for help.',
        );
      }
      if (this.repeats >= this.settings.warnAfter) {
        return withNote(
          result,
          `Note: you have done exactly this ${this.repeats} times in a row and ${unchanged}. You are repeating ` +
            'yourself: doing it again will not help. Try something different (another element or place, a ' +
            'keyboard shortcut, scrolling, another way to the goal), or use set_task_status with needs_help if ' +
            'you are stuck.',
        );
      }
      return result;
    });
    return { results: checked, ...(stuck ? { stuck } : {}) };
  }
}
