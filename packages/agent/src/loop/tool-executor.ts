import { type BytebotdClient, BytebotdClientError } from '@bytebot/client';
import { type ComputerActionInput, describeValidationIssues, type ToolResultBlock } from '@bytebot/protocol';
import type { z } from 'zod';
import type { ToolCall } from '../model/model-provider.ts';
import type { ScreenScaling } from '../model/screen-scaling.ts';
import { actionSignalOf } from '../tasks/running-tasks.ts';
import type { CustomTools } from '../tools/custom-tools.ts';
import { openApplicationInput, readFileInput, setTaskStatusInput, writeFileInput } from './agent-tools.ts';
import { refusalOf } from './task-tools.ts';

export type StatusRequest = { status: 'completed' | 'needs_help' | 'failed'; description: string };

export interface ExecutionContext {
  taskId: string;
  signal: AbortSignal;
  scaling: ScreenScaling;
  /**
   * Whether a computer action brings the settled screenshot back. Only the last computer call of a turn
   * does: the screen after the whole batch is what the model needs to see; the calls before it answer
   * in words.
   */
  screenshot: boolean;
  /** The agent tools the task withholds (task-tools.ts): a call of one is refused, never run. */
  withheld?: ReadonlySet<string>;
}

export interface ToolOutcome {
  result: ToolResultBlock;
  /** Set when the model asked to end the task (set_task_status). */
  statusRequest?: StatusRequest;
}

function textResult(id: string, text: string, isError = false): ToolResultBlock {
  return {
    type: 'tool_result',
    tool_use_id: id,
    content: [{ type: 'text', text }],
    ...(isError ? { is_error: true } : {}),
  };
}

/** Input that does not fit the tool's schema goes back to the model, naming the field, for it to correct. */
function invalidInput(id: string, error: z.ZodError, input: unknown): ToolOutcome {
  const { message } = describeValidationIssues(error.issues, input);
  return { result: textResult(id, `invalid input: ${message}`, true) };
}

function imageResult(
  id: string,
  image: { image: string; mediaType: 'image/png' | 'image/jpeg' | 'image/webp' },
): ToolResultBlock {
  return {
    type: 'tool_result',
    tool_use_id: id,
    content: [{ type: 'image', source: { type: 'base64', media_type: image.mediaType, data: image.image } }],
  };
}

/**
 * A zoom without its own scale is enlarged to fill the model's picture as far as whole steps allow: the
 * point of a zoom is legible detail, and the picture size is what the model takes without resizing
 * (Claude's toolset refuses a larger image).
 */
function zoomToFit(
  action: ComputerActionInput,
  picture: { width: number; height: number },
): ComputerActionInput {
  if (action.action !== 'zoom' || action.scale !== undefined) return action;
  const fits = Math.min(picture.width / action.region.width, picture.height / action.region.height);
  return { ...action, scale: Math.max(1, Math.min(4, Math.floor(fits))) };
}

/**
 * The result of a call stopped part way: it is an error for the model (the action may have happened in
 * part), not a failure of the desktop, and the loop goes on to its takeover gate or stops there.
 */
function stoppedResult(id: string, signal: AbortSignal): ToolResultBlock {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'it was aborted';
  return textResult(
    id,
    `This action was stopped part way: ${reason}. It may have been carried out in part; take a screenshot ` +
      'to see the screen before going on.',
    true,
  );
}

function describeFailure(error: unknown): string {
  if (error instanceof BytebotdClientError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Carries out the model's tool calls on the desktop through bytebotd. What goes wrong on the desktop
 * (a refused path, an application that is not installed) is the model's to handle, so it comes back as
 * an error result, not as a failure of the task; only a desktop that cannot be reached at all throws.
 * Every desktop call runs under the action's signal: a cancel or a takeover closes the request, and
 * bytebotd stops the action when its caller goes away.
 */
export class ToolExecutor {
  constructor(
    private readonly client: BytebotdClient,
    private readonly customTools: CustomTools,
    private readonly screenshotFormat: { format: 'png' | 'jpeg' | 'webp' } = { format: 'png' },
  ) {}

  /**
   * Carries out one call; its result records the desktop actions sent (screen pixels, no screenshot
   * requests) and how long it took, so a trajectory can be replayed without the model.
   */
  async execute(call: ToolCall, context: ExecutionContext): Promise<ToolOutcome> {
    const started = Date.now();
    const performed: Array<Record<string, unknown>> = [];
    const outcome = await this.carryOut(call, context, performed);
    return {
      ...outcome,
      result: {
        ...outcome.result,
        ...(performed.length > 0 ? { actions: performed } : {}),
        durationMs: Date.now() - started,
      },
    };
  }

  private async carryOut(
    call: ToolCall,
    context: ExecutionContext,
    performed: Array<Record<string, unknown>>,
  ): Promise<ToolOutcome> {
    if (call.kind === 'invalid') return { result: textResult(call.id, call.error, true) };
    const refusal = refusalOf(call, context.withheld ?? new Set());
    if (refusal) return { result: textResult(call.id, refusal, true) };
    const { scaling, screenshot, taskId } = context;
    const signal = actionSignalOf(context.signal);
    try {
      if (call.kind === 'computer')
        return { result: await this.computer(call, { scaling, screenshot, signal }, performed) };
      if (this.customTools.has(call.name)) {
        return {
          result: await this.customTools.run(call.id, call.name, call.input, {
            desktop: this.client,
            taskId,
            signal,
          }),
        };
      }
      return await this.function(call, { scaling, signal }, performed);
    } catch (error) {
      if (signal.aborted) return { result: stoppedResult(call.id, signal) };
      if (
        error instanceof BytebotdClientError &&
        (error.code === 'NETWORK' || error.code === 'DESKTOP_UNAVAILABLE')
      ) {
        throw error;
      }
      return { result: textResult(call.id, describeFailure(error), true) };
    }
  }

  /**
   * The model points in its own (scaled) picture: points go to the screen, and the pointer comes back.
   * The last action brings the screenshot with it, taken once the screen is still, so the model sees the
   * effect and not a frame of the way there, in one call instead of a fixed sleep and a second call.
   */
  private async computer(
    call: Extract<ToolCall, { kind: 'computer' }>,
    { scaling, screenshot, signal }: { scaling: ScreenScaling; screenshot: boolean; signal: AbortSignal },
    performed: Array<Record<string, unknown>>,
  ): Promise<ToolResultBlock> {
    const actions = call.actions.map((action) => zoomToFit(scaling.actionToScreen(action), scaling.model));
    // A screenshot call has no action of its own: a zero wait carries the settled screenshot.
    const looks = actions.length === 0;
    if (looks) actions.push({ action: 'wait', duration: 0 });
    let cursor: { x: number; y: number } | undefined;
    let image: { image: string; mediaType: 'image/png' | 'image/jpeg' | 'image/webp' } | undefined;
    for (const [index, action] of actions.entries()) {
      performed.push({ ...action });
      const last = index === actions.length - 1;
      const settles =
        last && (screenshot || looks) && action.action !== 'zoom' && action.action !== 'cursor_position';
      const result = (await this.client.action(
        (settles ? { ...action, screenshotAfter: this.screenshotAfter(scaling) } : action) as typeof action,
        { signal },
      )) as Record<string, unknown>;
      if (action.action === 'cursor_position') cursor = scaling.toModel(result as { x: number; y: number });
      if (action.action === 'zoom') image = result as typeof image;
      if (settles) image = result.screenshot as typeof image;
    }
    if (cursor) return textResult(call.id, `The pointer is at (${cursor.x}, ${cursor.y}).`);
    if (!image) return textResult(call.id, `${call.describe}.`);
    return imageResult(call.id, image);
  }

  private screenshotAfter(scaling: ScreenScaling) {
    const size = scaling.isIdentity ? {} : { width: scaling.model.width, height: scaling.model.height };
    return { ...this.screenshotFormat, ...size };
  }

  /** After an action that is not a computer action (opening an application), a screenshot of its own. */
  private async screenshotResult(
    id: string,
    { scaling, signal }: { scaling: ScreenScaling; signal: AbortSignal },
  ): Promise<ToolResultBlock> {
    const settled = await this.client.action(
      { action: 'wait', duration: 0, screenshotAfter: this.screenshotAfter(scaling) },
      { signal },
    );
    return imageResult(
      id,
      settled.screenshot as { image: string; mediaType: 'image/png' | 'image/jpeg' | 'image/webp' },
    );
  }

  private async function(
    call: Extract<ToolCall, { kind: 'function' }>,
    desktop: { scaling: ScreenScaling; signal: AbortSignal },
    performed: Array<Record<string, unknown>>,
  ): Promise<ToolOutcome> {
    const { signal } = desktop;
    switch (call.name) {
      case 'set_task_status': {
        const parsed = setTaskStatusInput.safeParse(call.input);
        if (!parsed.success) return invalidInput(call.id, parsed.error, call.input);
        return {
          result: textResult(call.id, `Task status set to ${parsed.data.status}.`),
          statusRequest: parsed.data,
        };
      }
      case 'open_application': {
        const parsed = openApplicationInput.safeParse(call.input);
        if (!parsed.success) return invalidInput(call.id, parsed.error, call.input);
        performed.push({ action: 'application', application: parsed.data.application });
        await this.client.application(parsed.data.application, { signal });
        return { result: await this.screenshotResult(call.id, desktop) };
      }
      case 'read_file': {
        const parsed = readFileInput.safeParse(call.input);
        if (!parsed.success) return invalidInput(call.id, parsed.error, call.input);
        const file = await this.client.readFile(parsed.data.path, { signal });
        const text = file.content.toString('utf8');
        const isText = !text.includes('\uFFFD') && !text.includes('\0');
        return {
          result: textResult(
            call.id,
            isText
              ? text
              : `${file.path} is a binary file (${file.mediaType}, ${file.size} bytes); open it with an application.`,
          ),
        };
      }
      case 'write_file': {
        const parsed = writeFileInput.safeParse(call.input);
        if (!parsed.success) return invalidInput(call.id, parsed.error, call.input);
        performed.push({
          action: 'write_file',
          path: parsed.data.path,
          data: Buffer.from(parsed.data.content, 'utf8').toString('base64'),
        });
        const written = await this.client.writeFile(parsed.data.path, parsed.data.content, { signal });
        return { result: textResult(call.id, `Wrote ${written.size} bytes to ${written.path}.`) };
      }
      default:
        return { result: textResult(call.id, `unknown tool "${call.name}"`, true) };
    }
  }
}
