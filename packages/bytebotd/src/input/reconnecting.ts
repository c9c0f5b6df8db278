import { BytebotdError } from '../bytebotd-error.ts';

/** Something that lives on one X connection: lost with it, and then replaced rather than repaired. */
export interface Connected {
  readonly lost: boolean;
  close(): Promise<void>;
}

/**
 * The current connection-bound backend, opened again when its X server went away. While the server is
 * down every call fails fast with DESKTOP_UNAVAILABLE (one connection attempt at a time, shared by the
 * callers that arrive meanwhile); the first call after it is back gets a fresh connection.
 */
export class Reconnecting<T extends Connected> {
  private current: T | undefined;
  private opening: Promise<T> | undefined;
  private closed = false;

  constructor(private readonly open: () => Promise<T>) {}

  /** Opens the first connection; a failure here is a failure to start. */
  async start(): Promise<this> {
    await this.get();
    return this;
  }

  async get(): Promise<T> {
    if (this.closed) throw new BytebotdError('DESKTOP_UNAVAILABLE', 'bytebotd is stopping');
    if (this.current && !this.current.lost) return this.current;
    this.current = undefined;
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    const opened = await this.opening;
    if (this.closed) {
      await opened.close().catch(() => undefined);
      throw new BytebotdError('DESKTOP_UNAVAILABLE', 'bytebotd is stopping');
    }
    this.current = opened;
    return opened;
  }

  /** The live backend if there is one, without connecting (for releasing keys on the way out). */
  live(): T | undefined {
    return this.current && !this.current.lost ? this.current : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    await current?.close();
  }
}
