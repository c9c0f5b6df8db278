import { readEnvironment, readToken } from '@bytebot/config';
import {
  type ActionInputOf,
  type ActionName,
  type ActionResultOf,
  actionResultSchemas,
  type Health,
  healthSchema,
} from '@bytebot/protocol';
import { BytebotdClientError } from './bytebotd-client-error.ts';

export interface BytebotdClientOptions {
  /** Where bytebotd listens, e.g. http://127.0.0.1:9990. */
  baseUrl: string;
  /** Bearer token; omit only for a server started with BYTEBOT_AUTH=off. */
  token?: string | undefined;
  /** Extra time allowed beyond the server's own deadline before the client gives up. */
  timeoutMs?: number;
}

type Point = { x: number; y: number };
type Without<Name extends ActionName> = Omit<ActionInputOf<Name>, 'action'>;

/** A typed client for bytebotd: one method per computer action, errors rebuilt as BytebotdClientError. */
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

  async action<Name extends ActionName>(action: ActionInputOf<Name>): Promise<ActionResultOf<Name>> {
    const body = await this.request('POST', '/computer-use', action);
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

  async health(): Promise<Health> {
    const response = await this.fetch('GET', '/health');
    const body: unknown = await response.json();
    return healthSchema.parse(body);
  }

  async openApi(): Promise<Record<string, unknown>> {
    return (await this.request('GET', '/openapi.json')) as Record<string, unknown>;
  }

  moveMouse(coordinates: Point) {
    return this.action({ action: 'move_mouse', coordinates });
  }

  traceMouse(path: Point[], options: Omit<Without<'trace_mouse'>, 'path'> = {}) {
    return this.action({ action: 'trace_mouse', path, ...options });
  }

  clickMouse(options: Without<'click_mouse'> = {}) {
    return this.action({ action: 'click_mouse', ...options });
  }

  pressMouse(options: Without<'press_mouse'>) {
    return this.action({ action: 'press_mouse', ...options });
  }

  dragMouse(path: Point[], options: Omit<Without<'drag_mouse'>, 'path'> = {}) {
    return this.action({ action: 'drag_mouse', path, ...options });
  }

  scroll(options: Without<'scroll'>) {
    return this.action({ action: 'scroll', ...options });
  }

  typeKeys(keys: string[], options: Omit<Without<'type_keys'>, 'keys'> = {}) {
    return this.action({ action: 'type_keys', keys, ...options });
  }

  pressKeys(keys: string[], press: 'down' | 'up') {
    return this.action({ action: 'press_keys', keys, press });
  }

  typeText(text: string, options: Omit<Without<'type_text'>, 'text'> = {}) {
    return this.action({ action: 'type_text', text, ...options });
  }

  pasteText(text: string, options: Omit<Without<'paste_text'>, 'text'> = {}) {
    return this.action({ action: 'paste_text', text, ...options });
  }

  wait(duration: number) {
    return this.action({ action: 'wait', duration });
  }

  /** A screenshot with its bytes decoded. */
  async screenshot(options: Without<'screenshot'> = {}) {
    const result = await this.action({ action: 'screenshot', ...options });
    return { ...result, data: Buffer.from(result.image, 'base64') };
  }

  cursorPosition() {
    return this.action({ action: 'cursor_position' });
  }

  application(application: ActionInputOf<'application'>['application']) {
    return this.action({ action: 'application', application });
  }

  writeFile(path: string, data: Buffer | string) {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return this.action({ action: 'write_file', path, data: bytes.toString('base64') });
  }

  /** Reads a file; its bytes are decoded into `content`. */
  async readFile(path: string) {
    const result = await this.action({ action: 'read_file', path });
    return { ...result, content: Buffer.from(result.data, 'base64') };
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetch(method, path, body);
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      throw new BytebotdClientError(
        'BAD_RESPONSE',
        `${method} ${path}: answered ${response.status} with a body that is not JSON`,
        response.status,
      );
    }
    if (!response.ok) throw BytebotdClientError.fromResponse(response.status, parsed);
    return parsed;
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new BytebotdClientError('NETWORK', `${method} ${this.baseUrl}${path}: ${cause}`, undefined);
    }
  }
}
