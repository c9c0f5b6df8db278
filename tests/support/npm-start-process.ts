import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;

/** `npm start` running in a process group of its own, and everything it printed so far. */
export interface StartedLauncher {
  child: ChildProcess;
  output(): string;
}

/** A display number no X server holds, from a random start so that parallel runs keep apart. */
export function freeDisplay(): string {
  for (let number = 400 + Math.floor(Math.random() * 400); ; number += 1) {
    if (!existsSync(`/tmp/.X${number}-lock`) && !existsSync(`/tmp/.X11-unix/X${number}`)) return `:${number}`;
  }
}

/** Every process below pid, from the process table (the desktop's programs run in groups of their own). */
export function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [child, childParent] of table) {
      if (childParent === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The command line of a process, or '' once it is gone. */
export function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/** One variable of a process's environment (readable for our own processes, and for any as root). */
export function environmentOf(pid: number, name: string): string | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    return entries.find((entry) => entry.startsWith(`${name}=`))?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/** `npm start -- <args>` in a process group of its own (as a terminal runs it), its output collected. */
function spawnLauncher(args: string[], environment: Record<string, string>): StartedLauncher {
  const child = spawn('npm', ['start', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: root,
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
  };
  child.stdout?.setEncoding('utf8').on('data', collect);
  child.stderr?.setEncoding('utf8').on('data', collect);
  return { child, output: () => output };
}

/** Runs `npm start` to its end, for a start that is refused. */
export function runLauncher(
  args: string[],
  environment: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const started = spawnLauncher(args, environment);
  return new Promise((resolvePromise, rejectPromise) => {
    const timer = setTimeout(() => {
      process.kill(-(started.child.pid as number), 'SIGINT');
      rejectPromise(new Error(`npm start did not end in ${timeoutMs / 1000} s:\n${started.output()}`));
    }, timeoutMs);
    started.child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output: started.output() });
    });
  });
}

/** Starts `npm start` and resolves once it prints that Bytebot is ready; rejects if it exits first. */
export function startLauncher(
  args: string[],
  environment: Record<string, string>,
  timeoutMs = 180_000,
): Promise<StartedLauncher> {
  const started = spawnLauncher(args, environment);
  const { child } = started;
  return new Promise((resolvePromise, rejectPromise) => {
    const timer = setTimeout(() => {
      process.kill(-(child.pid as number), 'SIGINT');
      rejectPromise(new Error(`npm start was not ready in ${timeoutMs / 1000} s:\n${started.output()}`));
    }, timeoutMs);
    child.stdout?.on('data', () => {
      if (started.output().includes('Bytebot is ready')) {
        clearTimeout(timer);
        resolvePromise(started);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectPromise(new Error(`npm start exited with ${code}:\n${started.output()}`));
    });
  });
}

/** Ctrl-C as a terminal sends it: SIGINT to the whole foreground group. Returns every pid it had. */
export async function interruptLauncher(started: StartedLauncher): Promise<number[]> {
  const pid = started.child.pid as number;
  const pids = [pid, ...descendants(pid)];
  if (started.child.exitCode !== null) return pids;
  const exited = new Promise<number | null>((resolvePromise) => started.child.once('exit', resolvePromise));
  process.kill(-pid, 'SIGINT');
  await exited;
  return pids;
}
