import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BytebotdError } from '../bytebotd-error.ts';
import { sleep, throwIfAborted } from './abortable.ts';
import { type DesktopSession, spawnAsDesktopUser } from './desktop-session.ts';
import { runCommand } from './run-command.ts';

interface ApplicationEntry {
  /** Candidate executables, first installed one wins (Debian ships firefox-esr, Ubuntu firefox). */
  executables: string[];
  args: string[];
  /** Part of WM_CLASS (case-insensitive) that identifies its windows. */
  windowClass: string;
}

const applications: Record<string, ApplicationEntry> = {
  firefox: { executables: ['firefox-esr', 'firefox'], args: [], windowClass: 'firefox' },
  terminal: { executables: ['xfce4-terminal'], args: [], windowClass: 'xfce4-terminal' },
  file_manager: { executables: ['thunar'], args: [], windowClass: 'thunar' },
  text_editor: { executables: ['mousepad'], args: [], windowClass: 'mousepad' },
  thunderbird: { executables: ['thunderbird'], args: [], windowClass: 'thunderbird' },
  vscode: { executables: ['code'], args: ['--no-sandbox'], windowClass: 'code' },
  '1password': { executables: ['1password'], args: [], windowClass: '1password' },
};

const searchPath = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/snap/bin'];

function findExecutable(names: string[]): string | undefined {
  for (const name of names) {
    for (const folder of searchPath) {
      const candidate = `${folder}/${name}`;
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Opens applications, or brings their window to the front when one is already open. */
export class Applications {
  constructor(private readonly session: DesktopSession) {}

  async open(name: string, signal: AbortSignal): Promise<void> {
    if (name === 'desktop') {
      await this.wmctrl(['-k', 'on'], signal);
      return;
    }
    const entry = applications[name === 'directory' ? 'file_manager' : name];
    if (!entry)
      throw new BytebotdError('INVALID_REQUEST', `application: unknown application "${name}"`, [
        'application',
      ]);
    if (await this.activate(entry.windowClass, signal)) return;
    const executable = findExecutable(entry.executables);
    if (!executable) {
      throw new BytebotdError(
        'APPLICATION_UNAVAILABLE',
        `application: "${name}" is not installed on this desktop (looked for ${entry.executables.join(', ')})`,
        ['application'],
      );
    }
    const child = spawn(executable, entry.args, {
      ...spawnAsDesktopUser(this.session),
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {});
    child.unref();
    try {
      // Wait for its window so the caller's next screenshot shows the application, not an empty desktop.
      while (!(await this.activate(entry.windowClass, signal))) {
        await sleep(100, signal);
      }
    } catch (error) {
      // Stopped before its window came (a cancel): the half-started application is not left to pop up
      // after its caller has gone. Its process group holds what it started (detached above).
      if (signal.aborted && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      throw error;
    }
  }

  private async activate(windowClass: string, signal: AbortSignal): Promise<boolean> {
    throwIfAborted(signal);
    const listing = await this.wmctrl(['-lx'], signal);
    const wanted = windowClass.toLowerCase();
    for (const line of listing.split('\n')) {
      const [windowId, , className] = line.split(/\s+/);
      if (windowId && className?.toLowerCase().includes(wanted)) {
        await this.wmctrl(['-i', '-a', windowId], signal);
        return true;
      }
    }
    return false;
  }

  private async wmctrl(args: string[], signal: AbortSignal): Promise<string> {
    const result = await runCommand('wmctrl', args, { env: this.session.environment, signal });
    if (result.exitCode !== 0 && args[0] !== '-lx') {
      throw new BytebotdError(
        'DESKTOP_UNAVAILABLE',
        `wmctrl ${args.join(' ')} failed: ${result.stderr.trim()}`,
      );
    }
    return result.stdout;
  }
}
