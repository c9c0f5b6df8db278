import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import x11, { type XCallback, type XClient, type XDisplay, type XError } from 'x11';
import { BytebotdError } from '../bytebotd-error.ts';
import { cookieFor, readXauthority } from './xauthority.ts';

export interface X11ConnectionOptions {
  display: string;
  /** Xauthority file to take the cookie from; undefined lets the x11 package use $XAUTHORITY or ~/.Xauthority. */
  xauthority: string | undefined;
  /** Pass descriptors over the socket (MIT-SHM segments); only the screen needs it. */
  shm?: boolean;
}

const answerTimeoutMs = 10_000;

export function unavailable(display: string, problem: string): BytebotdError {
  return new BytebotdError('DESKTOP_UNAVAILABLE', `X server ${display}: ${problem}`);
}

/**
 * One connection to the X server through the `x11` package, plain JavaScript over the socket. Xlib (what
 * libnut uses) ends the whole process when its server goes away; here a lost server is an error event:
 * every request waiting on it is answered DESKTOP_UNAVAILABLE, and so is every later one, until the
 * owner opens a new connection (see Reconnecting).
 */
export class X11Connection {
  private failure: BytebotdError | undefined;
  private protocolError: XError | undefined;
  private readonly waiting = new Set<(error: Error) => void>();
  private readonly onLost = new Set<() => void>();

  constructor(
    readonly client: XClient,
    readonly display: XDisplay,
    readonly name: string,
  ) {
    client.on('error', (error: XError) => {
      // Errors for requests sent without a callback (FakeInput, WarpPointer) surface at the next round trip.
      if (typeof error.error === 'number') this.protocolError ??= error;
      else this.lose(`the connection failed (${error.message})`);
    });
    client.on('end', () => this.lose('the connection was closed by the server'));
  }

  get lost(): boolean {
    return this.failure !== undefined;
  }

  /** Throws DESKTOP_UNAVAILABLE once the connection is gone. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Called once, when the connection is lost or closed (to free what belonged to it). */
  whenLost(callback: () => void): void {
    if (this.failure) callback();
    else this.onLost.add(callback);
  }

  /** One request with a reply; rejects when the connection goes or the server stops answering. */
  request<T>(send: (callback: XCallback<T>) => void): Promise<T> {
    this.check();
    return new Promise<T>((resolvePromise, rejectPromise) => {
      const settle = (error: Error | undefined, result?: T) => {
        clearTimeout(timer);
        this.waiting.delete(settle);
        if (error) rejectPromise(error);
        else resolvePromise(result as T);
      };
      const timer = setTimeout(
        () => settle(unavailable(this.name, `no answer within ${answerTimeoutMs / 1000} s`)),
        answerTimeoutMs,
      );
      this.waiting.add(settle);
      try {
        send((error, result) => {
          settle(error ? unavailable(this.name, `a request failed (${error.message})`) : undefined, result);
          return true;
        });
      } catch (error) {
        settle(unavailable(this.name, `a request failed (${(error as Error).message})`));
      }
    });
  }

  /** Waits until the server has processed everything sent before; reports an error any of it caused. */
  async roundTrip(): Promise<void> {
    await this.request((callback) => this.client.GetInputFocus(callback));
    const error = this.protocolError;
    this.protocolError = undefined;
    if (error)
      throw new BytebotdError('INTERNAL', `X server ${this.name} rejected a request: ${error.message}`);
  }

  close(reason = 'the connection is closed'): void {
    if (!this.failure) endConnection(this.client);
    this.lose(reason);
  }

  private lose(problem: string): void {
    if (this.failure) return;
    this.failure = unavailable(this.name, problem);
    for (const settle of [...this.waiting]) settle(this.failure);
    for (const callback of this.onLost) callback();
    this.onLost.clear();
  }
}

function endConnection(client: XClient): void {
  try {
    client.terminate();
  } catch {
    // Failed before its setup: the x11 package has no output stream to flush, and nothing is open.
  }
}

async function cookieFromFile(display: string, path: string): Promise<{ name: string; data: string }> {
  try {
    const { host, displayNum } = x11.parseDisplay(display);
    const cookie = cookieFor(await readXauthority(path), {
      host,
      displayNumber: displayNum,
      hostname: hostname(),
    });
    // No matching entry: try without one, as libX11 does; a server with access control then says no.
    return cookie ?? { name: '', data: '' };
  } catch (error) {
    throw unavailable(display, `cannot use Xauthority ${path} (${(error as Error).message})`);
  }
}

/** Connects (the cookie read afresh each time: a restarted server may have a new one). */
export async function openX11Connection(options: X11ConnectionOptions): Promise<X11Connection> {
  const { display } = options;
  // The x11 package tries TCP port 6000+N when a local display's socket is missing, as it is while a
  // restarted Xvfb comes up; whoever listens there would be sent the cookie. A local display is its socket.
  const local = /^:(\d+)(\.\d+)?$/.exec(display);
  if (local && !existsSync(`/tmp/.X11-unix/X${local[1]}`))
    throw unavailable(display, 'its socket is not there');
  const auth =
    options.xauthority === undefined ? undefined : await cookieFromFile(display, options.xauthority);
  return new Promise((resolvePromise, rejectPromise) => {
    let client: XClient | undefined;
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (client) endConnection(client);
      rejectPromise(unavailable(display, `cannot connect (${error.message.trim()})`));
    };
    const timer = setTimeout(
      () => fail(new Error(`no answer within ${answerTimeoutMs / 1000} s`)),
      answerTimeoutMs,
    );
    try {
      client = x11.createClient(
        { display, bufferRequests: true, shm: options.shm ?? false, ...(auth ? { auth } : {}) },
        (error, info) => {
          clearTimeout(timer);
          client?.off('error', fail);
          if (error || !client) fail(error ?? new Error('no client'));
          else resolvePromise(new X11Connection(client, info, display));
        },
      );
      // The server refusing the connection is reported as an event, not through the callback.
      client.on('error', fail);
    } catch (error) {
      fail(error as Error);
    }
  });
}
