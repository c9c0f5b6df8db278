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
      if (this.options.restart === false) return;
      // A program that ran for a while had a real life; one that died at once is failing to start.
      this.failuresInARow = Date.now() - this.startedAt > 10_000 ? 0 : this.failuresInARow + 1;
      const pause = Math.min(5_000, 250 * 2 ** Math.min(this.failuresInARow, 5));
      this.options.log(
        `${this.options.name} exited (${signal ?? `code ${code}`}); restarting in ${pause} ms`,
      );
      this.restartTimer = setTimeout(() => {
        this.restarts += 1;
        this.start().catch((error: unknown) => {
          this.options.log(`${this.options.name} could not restart: ${(error as Error).message}`);
        });
      }, pause);
    });
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
