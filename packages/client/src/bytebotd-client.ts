import { readEnvironment, readToken } from '@bytebot/config';
import {
  type ActionInputOf,
  type ActionName,
  type ActionResultOf,
  actionResultSchemas,
  type Health,
  healthSchema,
  type LiveView,
  liveViewSchema,
  type SettledScreenshotResult,
} from '@bytebot/protocol';
import { BytebotdClientError } from './bytebotd-client-error.ts';
import { type CallOptions, callSignal } from './call-signal.ts';

export interface BytebotdClientOptions {
  /** Where bytebotd listens, e.g. http://127.0.0.1:9990. */
  baseUrl: string;
  /** Bearer token; omit only for a server started with BYTEBOT_AUTH=off. */
  token?: string | undefined;
  /** How long a call may take before the client gives up (beyond the server's own deadlines); 120 s. */
  timeoutMs?: number;
}

type Point = { x: number; y: number };
type Region = { x: number; y: number; width: number; height: number };
type Without<Name extends ActionName> = Omit<ActionInputOf<Name>, 'action'>;
/**
 * A method's options: the action's fields but the ones the method takes as arguments, and the call's own
 * (`signal`, `timeoutMs`), which are not sent.
 */
type OptionsOf<Name extends ActionName, Arguments extends string = never> = Omit<Without<Name>, Arguments> &
  CallOptions;

/** The screenshot taken after an action, its bytes decoded into `data`. */
export type ScreenshotAfterResult = SettledScreenshotResult & { data: Buffer };

/**
 * An action's result as a method returns it: `screenshot` is there (decoded) when the options asked for
 * one with `screenshotAfter`, and may be when they were not written out literally.
 */
export type ResultWith<Name extends ActionName, Options> = Omit<ActionResultOf<Name>, 'screenshot'> &
  (Options extends { screenshotAfter: object }
    ? { screenshot: ScreenshotAfterResult }
    : { screenshot?: ScreenshotAfterResult });

// biome-ignore lint/complexity/noBannedTypes: "no options given" is the empty object type.
type NoOptions = {};

/**
 * A typed client for bytebotd: one method per computer action, errors rebuilt as BytebotdClientError. Every
 * call takes `signal` (aborting it rejects with the signal's reason, and bytebotd stops the action when its
 * client goes away) and `timeoutMs`.
 */
export class BytebotdClient {
  private readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: BytebotdClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Reads BYTEBOTD_URL and the token (BYTEBOT_TOKEN, or the token file in BYTEBOT_DATA_DIR). */
  static fromEnvironment(source: Record<string, string | undefined> = process.env): BytebotdClient {
    const environment = readEnvironment(source);
    return new BytebotdClient({ baseUrl: environment.bytebotdUrl, token: readToken(environment) });
  }

  async action<Name extends ActionName>(
    action: ActionInputOf<Name>,
    options: CallOptions = {},
  ): Promise<ActionResultOf<Name>> {
    const body = await this.request('POST', '/computer-use', action, options);
    const parsed = actionResultSchemas[action.action as Name].safeParse(body);
    if (!parsed.success) {
      throw new BytebotdClientError(
        'BAD_RESPONSE',
        `unexpected ${action.action} result: ${parsed.error.message}`,
        200,
      );
    }
    return parsed.data as ActionResultOf<Name>;
  }

  async health(options: CallOptions = {}): Promise<Health> {
    const response = await this.fetch('GET', '/health', undefined, options);
    const body: unknown = await response.json();
    return healthSchema.parse(body);
  }

  async openApi(options: CallOptions = {}): Promise<Record<string, unknown>> {
    return (await this.request('GET', '/openapi.json', undefined, options)) as Record<string, unknown>;
  }

  /** What a noVNC page needs: the websocket's path and the VNC server's password (null without one). */
  async liveView(options: CallOptions = {}): Promise<LiveView> {
    const parsed = liveViewSchema.safeParse(await this.request('GET', '/live-view', undefined, options));
    if (!parsed.success) {
      throw new BytebotdClientError(
        'BAD_RESPONSE',
        `unexpected live-view answer: ${parsed.error.message}`,
        200,
      );
    }
    return parsed.data;
  }

  moveMouse<Options extends OptionsOf<'move_mouse', 'coordinates'> = NoOptions>(
    coordinates: Point,
    options?: Options,
  ) {
    return this.run<'move_mouse', Options>({ action: 'move_mouse', coordinates, ...options });
  }

  traceMouse<Options extends OptionsOf<'trace_mouse', 'path'> = NoOptions>(path: Point[], options?: Options) {
    return this.run<'trace_mouse', Options>({ action: 'trace_mouse', path, ...options });
  }

  clickMouse<Options extends OptionsOf<'click_mouse'> = NoOptions>(options?: Options) {
    return this.run<'click_mouse', Options>({ action: 'click_mouse', ...options });
  }

  pressMouse<Options extends OptionsOf<'press_mouse'>>(options: Options) {
    return this.run<'press_mouse', Options>({ action: 'press_mouse', ...options });
  }

  dragMouse<Options extends OptionsOf<'drag_mouse', 'path'> = NoOptions>(path: Point[], options?: Options) {
    return this.run<'drag_mouse', Options>({ action: 'drag_mouse', path, ...options });
  }

  scroll<Options extends OptionsOf<'scroll'>>(options: Options) {
    return this.run<'scroll', Options>({ action: 'scroll', ...options });
  }

  typeKeys<Options extends OptionsOf<'type_keys', 'keys'> = NoOptions>(keys: string[], options?: Options) {
    return this.run<'type_keys', Options>({ action: 'type_keys', keys, ...options });
  }

  pressKeys<Options extends OptionsOf<'press_keys', 'keys' | 'press'> = NoOptions>(
    keys: string[],
    press: 'down' | 'up',
    options?: Options,
  ) {
    return this.run<'press_keys', Options>({ action: 'press_keys', keys, press, ...options });
  }

  typeText<Options extends OptionsOf<'type_text', 'text'> = NoOptions>(text: string, options?: Options) {
    return this.run<'type_text', Options>({ action: 'type_text', text, ...options });
  }

  pasteText<Options extends OptionsOf<'paste_text', 'text'> = NoOptions>(text: string, options?: Options) {
    return this.run<'paste_text', Options>({ action: 'paste_text', text, ...options });
  }

  /**
   * Waits. With `screenshotAfter` (and a duration of 0 if nothing else is to be waited for) it is the way
   * to take a screenshot once the screen is still.
   */
  wait<Options extends OptionsOf<'wait', 'duration'> = NoOptions>(duration: number, options?: Options) {
    return this.run<'wait', Options>({ action: 'wait', duration, ...options });
  }

  /** A screenshot with its bytes decoded. */
  async screenshot(options: Without<'screenshot'> & CallOptions = {}) {
    const { signal, timeoutMs, ...fields } = options;
    const result = await this.action({ action: 'screenshot', ...fields }, { signal, timeoutMs });
    return { ...result, data: Buffer.from(result.image, 'base64') };
  }

  /** A region of the screen at full resolution, enlarged by `scale` (1 to 4, nearest neighbour), decoded. */
  async zoom(region: Region, options: OptionsOf<'zoom', 'region'> = {}) {
    const { signal, timeoutMs, ...fields } = options;
    const result = await this.action({ action: 'zoom', region, ...fields }, { signal, timeoutMs });
    return { ...result, data: Buffer.from(result.image, 'base64') };
  }

  cursorPosition<Options extends OptionsOf<'cursor_position'> = NoOptions>(options?: Options) {
    return this.run<'cursor_position', Options>({ action: 'cursor_position', ...options });
  }

  application<Options extends OptionsOf<'application', 'application'> = NoOptions>(
    application: ActionInputOf<'application'>['application'],
    options?: Options,
  ) {
    return this.run<'application', Options>({ action: 'application', application, ...options });
  }

  writeFile<Options extends OptionsOf<'write_file', 'path' | 'data'> = NoOptions>(
    path: string,
    data: Buffer | string,
    options?: Options,
  ) {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return this.run<'write_file', Options>({
      action: 'write_file',
      path,
      data: bytes.toString('base64'),
      ...options,
    });
  }

  /** Reads a file; its bytes are decoded into `content`. */
  async readFile<Options extends OptionsOf<'read_file', 'path'> = NoOptions>(
    path: string,
    options?: Options,
  ) {
    const result = await this.run<'read_file', Options>({ action: 'read_file', path, ...options });
    return { ...result, content: Buffer.from(result.data, 'base64') };
  }

  /** Runs an action for one of the methods above: the result typed by its options, a screenshot decoded. */
  private async run<Name extends ActionName, Options>(
    actionAndOptions: ActionInputOf<Name> & CallOptions,
  ): Promise<ResultWith<Name, Options>> {
    const { signal, timeoutMs, ...action } = actionAndOptions;
    const result = (await this.action(action as ActionInputOf<Name>, {
      signal,
      timeoutMs,
    })) as ActionResultOf<Name> & {
      screenshot?: SettledScreenshotResult;
    };
    if (!result.screenshot) return result as ResultWith<Name, Options>;
    const screenshot = { ...result.screenshot, data: Buffer.from(result.screenshot.image, 'base64') };
    return { ...result, screenshot } as ResultWith<Name, Options>;
  }

  private async request(method: string, path: string, body: unknown, options: CallOptions): Promise<unknown> {
    const response = await this.fetch(method, path, body, options);
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new BytebotdClientError(
        'BAD_RESPONSE',
        `${method} ${path}: answered ${response.status} with a body that is not JSON`,
        response.status,
      );
    }
    if (!response.ok) throw BytebotdClientError.fromResponse(response.status, parsed);
    return parsed;
  }

  private async fetch(method: string, path: string, body: unknown, options: CallOptions): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: callSignal(options.timeoutMs ?? this.timeoutMs, options.signal),
      });
    } catch (error) {
      // The caller's abort is theirs to handle, not a failure of bytebotd.
      if (options.signal?.aborted) throw options.signal.reason;
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new BytebotdClientError('NETWORK', `${method} ${this.baseUrl}${path}: ${cause}`, undefined);
    }
  }
}
