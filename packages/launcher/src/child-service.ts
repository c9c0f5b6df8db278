import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildServiceOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves true once the service answers as healthy. */
  isHealthy: () => Promise<boolean>;
  print: (line: string) => void;
}

const keptOutput = 16 * 1024;

/** One part of Bytebot run as its own process: its output prefixed with its name, its health polled. */
export class ChildService {
  private child: ChildProcess | undefined;
  private recent = '';
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly options: ChildServiceOptions) {}

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  output(): string {
    return this.recent;
  }

  start(onUnexpectedExit: (code: number | null) => void): void {
    const { command, args, env, cwd, name, print } = this.options;
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let pending = '';
    const forward = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.recent = (this.recent + text).slice(-keptOutput);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') print(`[${name}] ${line}`);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    this.exited = new Promise((resolvePromise) => {
      child.once('exit', (code) => {
        if (this.child === child) {
          this.child = undefined;
          onUnexpectedExit(code);
        }
        resolvePromise(code);
      });
    });
  }

  /** Waits until healthy; fails early, with the service's last words, when it exits meanwhile. */
  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`${this.name} exited while starting:\n${this.recent.slice(-3000)}`);
      if (await this.options.isHealthy().catch(() => false)) return;
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
    }
    throw new Error(
      `${this.name} was not healthy within ${timeoutMs / 1000} s:\n${this.recent.slice(-3000)}`,
    );
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
