import { type ChildProcess, spawn } from 'node:child_process';

export interface SupervisedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string | undefined;
  /** Run as this user (only when we are root and it is another user). */
  uid?: number | undefined;
  gid?: number | undefined;
  log: (line: string) => void;
  /** Called before each start, restarts included, e.g. to wait for the X server. */
  beforeStart?: () => Promise<void>;
  /** Restart when it exits on its own; true unless said otherwise. */
  restart?: boolean;
  /** Called when it exited on its own (not stopped), e.g. to restart what depended on it. */
  onExit?: () => void;
}

const keptOutputBytes = 8 * 1024;

/**
 * One long-running program of the desktop, restarted when it dies (with a growing pause, so a program
 * that cannot start does not spin). Each runs in its own process group, so stopping it also stops
 * whatever it started.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private recentOutput = '';
  private startedAt = 0;
  private failuresInARow = 0;
  /** Set by restartNow: the coming exit was asked for, and is not held against the program. */
  private restartAsked = false;
  restarts = 0;

  constructor(private readonly options: SupervisedProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** The last few KiB the program printed, for error messages. */
  output(): string {
    return this.recentOutput;
  }

  async start(): Promise<void> {
    await this.options.beforeStart?.();
    if (this.stopping) return;
    const { command, args, env, cwd, uid, gid } = this.options;
    const child = spawn(command, args, {
      env,
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid !== undefined && gid !== undefined ? { uid, gid } : {}),
    });
    this.child = child;
    this.startedAt = Date.now();
    const keep = (chunk: Buffer) => {
      this.recentOutput = (this.recentOutput + chunk.toString('utf8')).slice(-keptOutputBytes);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (error) => {
      keep(Buffer.from(`\n${error.message}\n`));
    });
    child.once('exit', (code, signal) => {
      if (this.child !== child || this.stopping) return;
      this.child = undefined;
      // What it started (a session's window manager and panel) would fight the next instance's: end them.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      this.options.onExit?.();
      if (this.options.restart === false) return;
      const asked = this.restartAsked;
      this.restartAsked = false;
      // A program that ran for a while had a real life; one that died at once is failing to start.
      if (!asked) this.failuresInARow = Date.now() - this.startedAt > 10_000 ? 0 : this.failuresInARow + 1;
      this.scheduleRestart(asked ? 0 : this.pause(), `exited (${signal ?? `code ${code}`})`);
    });
  }

  /**
   * Ends it now (with whatever it started) to be started again at once, say because the X server it was
   * a client of was replaced. Such a restart does not count towards the pause between failed ones.
   */
  restartNow(): void {
    if (this.stopping) return;
    const child = this.child;
    if (child?.pid !== undefined && !this.hasExited()) {
      this.restartAsked = true;
      signalGroup(child.pid, 'SIGKILL');
    } else if (this.restartTimer) {
      // Already waiting to restart: no need to wait out a pause for failures that were not its own.
      clearTimeout(this.restartTimer);
      this.scheduleRestart(0, 'is asked to restart');
    }
  }

  private pause(): number {
    return Math.min(5_000, 250 * 2 ** Math.min(this.failuresInARow, 5));
  }

  /** Starts it again after the pause; a start that fails (its X server never came) is tried again later. */
  private scheduleRestart(pause: number, why: string): void {
    if (this.stopping) return;
    this.options.log(`${this.options.name} ${why}; restarting in ${pause} ms`);
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restarts += 1;
      this.start().catch((error: unknown) => {
        this.failuresInARow += 1;
        this.scheduleRestart(this.pause(), `could not restart (${(error as Error).message})`);
      });
    }, pause);
  }

  /** Ends it and what it started at once, synchronously (the process holding it is exiting). */
  kill(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const pid = this.child?.pid;
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  }

  /** Whether it exited by now (used while waiting for it to become ready). */
  hasExited(): boolean {
    return this.child === undefined || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.pid === undefined || this.hasExited()) return;
    const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
    signalGroup(child.pid, 'SIGTERM');
    const forced = setTimeout(() => signalGroup(child.pid as number, 'SIGKILL'), 3_000);
    await exited;
    clearTimeout(forced);
    // Children that ignored SIGTERM or outlived their parent go too.
    signalGroup(child.pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
