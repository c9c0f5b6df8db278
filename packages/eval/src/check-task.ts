import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { DesktopSlot, PreparedDesktop } from './desktop-slot.ts';
import type { CheckResult, EvalTask, NearMiss, TaskContext } from './eval-task.ts';
import { playSolution } from './play-solution.ts';
import type { SuiteWebServer } from './suite-web-server.ts';

/** One verdict on one task: what was tried, whether the checker answered as it must, and what it said. */
export interface TaskCheckLine {
  what: string;
  ok: boolean;
  result: CheckResult;
}

/**
 * How a near miss gets its clean desktop. `fresh`: slot.prepare() for each (what `npm run eval:check`
 * does; on a loaded 2-core machine that is 10-30 s each). `reset`: one desktop reused, put back after each
 * case by killing what the case started and restoring the home folder (a second or two): for the test of
 * the whole suite. State outside the home folder (xfconf settings, held by the session's xfconfd) is not
 * put back, so tasks about settings get a fresh desktop either way.
 */
export type NearMissDesktop = 'fresh' | 'reset';

/** The near misses of a task, and its shortcut as one more (its files written directly must fail too). */
export function nearMissesOf(task: EvalTask, context: TaskContext): NearMiss[] {
  const misses = task.nearMisses?.(context) ?? [];
  const shortcut = task.shortcut?.(context);
  if (!shortcut) return misses;
  return [
    ...misses,
    {
      name: 'the shortcut: the expected files written directly, as write_file would',
      async apply(shortcutContext) {
        for (const file of shortcut) await shortcutContext.writeFile(file.path, file.content);
      },
    },
  ];
}

/**
 * A desktop a checker run can use again: the state right after slot.prepare() is remembered (the desktop
 * user's processes, a copy of the home folder) and `reset` goes back to it.
 */
class ReusableDesktop {
  private pids = new Set<number>();
  private readonly copy: string;

  constructor(readonly prepared: PreparedDesktop) {
    this.copy = `${prepared.home}.clean`;
    this.pids = this.userPids();
    execFileSync('cp', ['-a', `${prepared.home}/.`, this.copy]);
  }

  /** Ends what the last case started (by pid: only processes of this slot's account begun since) and restores the home folder. */
  async reset(): Promise<void> {
    for (let round = 0; round < 20; round += 1) {
      const started = [...this.userPids()].filter((pid) => !this.pids.has(pid));
      if (started.length === 0) break;
      for (const pid of started) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
    }
    execFileSync('rsync', ['-a', '--delete', `${this.copy}/`, `${this.prepared.home}/`]);
  }

  dispose(): void {
    rmSync(this.copy, { recursive: true, force: true });
  }

  private userPids(): Set<number> {
    let listing = '';
    try {
      listing = execFileSync('ps', ['-u', String(this.prepared.user.uid), '-o', 'pid='], {
        encoding: 'utf8',
      });
    } catch {
      // ps answers 1 when the account runs nothing
    }
    return new Set(
      listing
        .split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0 && pid !== process.pid),
    );
  }
}

export interface TaskChecker {
  /**
   * Checks one task: the checker must fail right after setup (pass, for an infeasible task: nothing has
   * changed); pass after the scripted solution (when `solution`); and fail after each near miss (and the
   * shortcut), each on a clean desktop.
   */
  check(task: EvalTask, options: { solution: boolean }): Promise<TaskCheckLine[]>;
  close(): Promise<void>;
}

/** Checks tasks on one desktop slot, with the suite's web server for their pages. */
export function taskChecker(slot: DesktopSlot, web: SuiteWebServer, mode: NearMissDesktop): TaskChecker {
  let reusable: ReusableDesktop | undefined;

  /** A clean desktop for one case: fresh, or the reusable one put back. */
  const clean = async (fresh: boolean): Promise<PreparedDesktop> => {
    if (fresh || !reusable) {
      reusable?.dispose();
      reusable = undefined;
      const prepared = await slot.prepare();
      if (mode === 'reset') reusable = new ReusableDesktop(prepared);
      return prepared;
    }
    await reusable.reset();
    return reusable.prepared;
  };

  /** Runs one case on a clean desktop: setup, then `act`, then the checker. */
  const runCase = async (
    task: EvalTask,
    fresh: boolean,
    act: (context: TaskContext, prepared: PreparedDesktop) => Promise<CheckResult>,
  ): Promise<CheckResult> => {
    const prepared = await clean(fresh);
    const pages = web.openRun();
    try {
      const context = prepared.context(pages);
      await task.setup(context);
      return await act(context, prepared);
    } finally {
      pages.close();
    }
  };

  const guarded = async (what: string, mustPass: boolean, result: () => Promise<CheckResult>) => {
    try {
      const answer = await result();
      return { what, ok: answer.passed === mustPass, result: answer };
    } catch (error) {
      return { what, ok: false, result: { passed: false, detail: `error: ${(error as Error).message}` } };
    }
  };

  return {
    async check(task, options) {
      const lines: TaskCheckLine[] = [];
      // xfconf settings live in the session, not the home folder: a reset would not put them back.
      const fresh = mode === 'fresh' || task.applications.includes('settings');
      let count = 0;
      // An infeasible task's checker passes while nothing has changed: right after setup too.
      const feasible = task.feasible !== false;
      lines.push(
        await guarded('after setup', !feasible, () =>
          runCase(task, fresh, async (context, prepared) => {
            const before = await task.check(context);
            count = nearMissesOf(task, context).length;
            if (!options.solution || before.passed === feasible) return before;
            await playSolution(prepared.client, task.solution(context));
            const after = await task.check(context);
            lines.push({ what: 'after the solution', ok: after.passed, result: after });
            return before;
          }),
        ),
      );
      for (let index = 0; index < count; index += 1) {
        let name = `near miss ${index + 1}`;
        lines.push(
          await guarded(name, false, () =>
            runCase(task, fresh, async (context) => {
              const miss = nearMissesOf(task, context)[index];
              if (!miss) throw new Error(`the task has no near miss ${index + 1} on this desktop`);
              name = miss.name;
              await miss.apply(context);
              return task.check(context);
            }),
          ).then((line) => ({ ...line, what: `near miss: ${name}` })),
        );
      }
      // The solution's line was pushed before the setup's: put the setup's first.
      return lines.sort((a, b) => order(a.what) - order(b.what));
    },
    async close() {
      reusable?.dispose();
      reusable = undefined;
    },
  };
}

const order = (what: string) => (what === 'after setup' ? 0 : what === 'after the solution' ? 1 : 2);

/** The lines `npm run eval:check` prints for one task. */
export function describeTaskCheck(id: string, lines: TaskCheckLine[], seconds: number): string {
  const ok = lines.every((line) => line.ok);
  const details = lines.map(
    (line) =>
      `\n     ${line.ok ? 'ok  ' : 'FAIL'} ${line.what}: ${line.result.passed ? 'passed' : 'failed'}, ${line.result.detail}`,
  );
  return `${ok ? 'ok  ' : 'FAIL'} ${id} (${seconds.toFixed(1)} s)${details.join('')}`;
}
