import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '@bytebot/protocol';
import { BytebotdError } from '../bytebotd-error.ts';
import type { HomeFileRequest } from './home-file-operations.ts';

export type FileHelperRequest =
  | { id: number; operation: 'read'; request: HomeFileRequest }
  | { id: number; operation: 'write'; request: HomeFileRequest & { data: Uint8Array } };

export type FileHelperReply =
  | { id: number; ok: true; path: string; size: number; data?: Uint8Array }
  | { id: number; ok: false; error: { code: ErrorCode; message: string; path?: Array<string | number> } }
  | { id: number; ok: false; unexpected: string };

export interface FileHelperUser {
  uid: number;
  gid: number;
  home: string;
}

const helperPath = fileURLToPath(new URL('./file-helper.main.ts', import.meta.url));
/** The workspace root: `--import tsx` in the helper's arguments resolves from its working folder. */
const workspaceRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** Ample for 32 MiB on any disk; a helper that takes longer is stuck (a hung network mount) and is ended. */
const requestTimeoutMs = 30_000;
/** An idle helper ends, so an idle desktop does not keep a second Node process for nothing. */
const idleExitMs = 60_000;
const keptStderrBytes = 4 * 1024;

/**
 * A Node process running as the desktop user (fork with its uid and gid, no supplementary groups) that
 * does the file actions of a root bytebotd: what that user may not read or write, the kernel refuses it,
 * whatever a symlink swapped in between a check and an open. Started at the first file action, ended
 * after a minute without one, started again when it died; its environment holds no secret of ours
 * (the desktop user can read it).
 */
export class FileHelper {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(reply: FileHelperReply): void; reject(error: Error): void; timer: NodeJS.Timeout }
  >();
  private idleTimer: NodeJS.Timeout | undefined;
  private stderr = '';
  private closed = false;

  constructor(private readonly user: FileHelperUser) {}

  async call(
    request:
      | { operation: 'read'; request: HomeFileRequest }
      | { operation: 'write'; request: HomeFileRequest & { data: Uint8Array } },
  ): Promise<{ path: string; size: number; data?: Uint8Array }> {
    if (this.closed) throw new BytebotdError('DESKTOP_UNAVAILABLE', 'bytebotd is stopping');
    const child = this.running();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    const reply = await new Promise<FileHelperReply>((resolvePromise, rejectPromise) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        rejectPromise(
          new BytebotdError(
            'TIMEOUT',
            `${request.operation}_file: the file helper did not answer within 30 s`,
          ),
        );
        child.kill('SIGKILL');
      }, requestTimeoutMs);
      this.pending.set(id, { resolve: resolvePromise, reject: rejectPromise, timer });
      child.send({ id, ...request } as FileHelperRequest, (error) => {
        if (error) this.settle(id, undefined, error);
      });
    }).finally(() => this.scheduleIdleExit());
    if (reply.ok) return reply;
    if ('error' in reply) throw new BytebotdError(reply.error.code, reply.error.message, reply.error.path);
    throw new Error(`the file helper failed: ${reply.unexpected}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
    child.kill('SIGTERM');
    await exited;
  }

  private running(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(helperPath, [], {
      uid: this.user.uid,
      gid: this.user.gid,
      cwd: workspaceRoot,
      env: helperEnvironment(this.user.home),
      // The loader bytebotd runs under (tsx), not a debugger of its own on bytebotd's port.
      execArgv: process.execArgv.filter((argument) => !/^--(inspect|debug)/.test(argument)),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    this.stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-keptStderrBytes);
    });
    child.on('message', (reply: FileHelperReply) => this.settle(reply.id, reply));
    const lost = (why: string) => {
      if (this.child === child) this.child = undefined;
      const error = new Error(`the file helper ${why}${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
      for (const id of [...this.pending.keys()]) this.settle(id, undefined, error);
    };
    child.once('error', (error) => lost(`could not run (${error.message})`));
    child.once('exit', (code, signal) => lost(`exited (${signal ?? `code ${code}`})`));
    return child;
  }

  private settle(id: number, reply: FileHelperReply | undefined, error?: Error): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    if (reply) waiting.resolve(reply);
    else waiting.reject(error ?? new Error('the file helper gave no answer'));
  }

  private scheduleIdleExit(): void {
    if (this.pending.size > 0 || !this.child) return;
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.idleTimer = setTimeout(() => {
      // The helper ends itself once its channel is gone; a later action starts a new one.
      if (this.child === child && this.pending.size === 0) {
        this.child = undefined;
        child.disconnect();
      }
    }, idleExitMs);
    this.idleTimer.unref();
  }
}

/** What the helper (and the loader it runs under) needs, and nothing bytebotd keeps secret. */
function helperEnvironment(home: string): Record<string, string> {
  const environment: Record<string, string> = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LANG' || name === 'NODE_OPTIONS' || name.startsWith('TSX_')))
      environment[name] = value;
  }
  return environment;
}
