import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BytebotdClient } from '@bytebot/client';
import {
  type DesktopUser,
  ensureDesktopUser,
  freePort,
  type RunningDesktop,
  startDesktop,
} from '@bytebot/desktop';
import { type ChildService, scriptService } from '@bytebot/launcher';
import { AnswerKeyGuard, answerKeyPaths } from './answer-key-guard.ts';
import type { PageRecord, TaskContext } from './eval-task.ts';
import { notRootMessage } from './run-as-root.ts';
import { claimSlot, defaultClaimFolder, type SlotClaim } from './slot-claim.ts';
import { createTaskContext } from './task-context.ts';

export interface DesktopSlotOptions {
  screen: { width: number; height: number };
  /** The run's folder; the slot keeps its task homes and bytebotd's data under it. */
  folder: string;
  /** The token bytebotd is started with (the agent of this slot uses it too). */
  token: string;
  log: (line: string) => void;
  /** More folders the desktop account must not read besides the suites' sources (the report folder). */
  privatePaths?: string[];
}

/** What a task gets from its slot: a fresh desktop and bytebotd, and where they are. */
export interface PreparedDesktop {
  home: string;
  user: DesktopUser;
  desktop: RunningDesktop;
  client: BytebotdClient;
  /**
   * The TaskContext of the task this desktop is for; its pages are one run of the suite's web server
   * (none given: an address nothing answers, and no records).
   */
  context(pages?: { pageUrl(path: string): string; records(): PageRecord[] }): TaskContext;
}

const noPages = { pageUrl: () => 'http://127.0.0.1:1/unused', records: (): PageRecord[] => [] };

const isRoot = () => process.getuid?.() === 0;

/**
 * One desktop of an evaluation run, with its own account, display and bytebotd at a fixed address (its
 * agent keeps pointing there). Before every task the desktop is started anew on a fresh home folder, and
 * whatever the last task left running is ended, so each task starts from the same known state.
 */
export class DesktopSlot {
  private user: DesktopUser | undefined;
  private desktop: RunningDesktop | undefined;
  private bytebotd: ChildService | undefined;
  private home: string | undefined;
  private port = 0;
  private taskCount = 0;
  private claim: SlotClaim | undefined;
  private guard: AnswerKeyGuard | undefined;

  constructor(private readonly options: DesktopSlotOptions) {}

  /** 1, 2, ...: the number this slot claimed on the machine; it names the slot's account and folder. */
  get index(): number {
    if (!this.claim) throw new Error('the desktop slot is not open');
    return this.claim.index;
  }

  get bytebotdUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Each slot has an account of its own without sudo, so one task can read neither another slot's files nor
   * its processes, nor the suite's answer keys; only root can make and act as such accounts (the entry points
   * re-run themselves with `sudo -n` when they may).
   */
  async open(): Promise<void> {
    if (!isRoot()) throw new Error(notRootMessage);
    this.claim = claimSlot();
    this.user = await ensureDesktopUser(`bytebot-eval-${this.index}`, { sudo: false });
    this.guard = new AnswerKeyGuard(this.user, defaultClaimFolder, this.index);
    this.guard.hide([...answerKeyPaths(), ...(this.options.privatePaths ?? [])]);
    this.port = await freePort();
    // The slot's account must pass through the run's folder to its own, and no further: its agent's and
    // bytebotd's data sit beside its homes, and the other slots' folders beside it.
    chmodSync(this.options.folder, 0o711);
    const folder = this.folder();
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o700);
    execFileSync('setfacl', ['-m', `u:${this.user.name}:--x`, folder], { stdio: 'pipe' });
  }

  /** Ends the last task's desktop and starts a fresh one for the next task. */
  async prepare(): Promise<PreparedDesktop> {
    const user = this.requireUser();
    await this.endCurrent();
    this.taskCount += 1;
    const home = join(this.folder(), `home-${this.taskCount}`);
    mkdirSync(home, { mode: 0o700 });
    if (isRoot()) chownSync(home, user.uid, user.gid);
    this.home = home;
    const taskUser = { ...user, home };
    const desktop = await startDesktop({
      display: 'auto',
      screen: this.options.screen,
      session: 'xfce',
      vnc: false,
      user: taskUser,
      log: (line) => this.options.log(`[desktop ${this.index}] ${line}`),
    });
    this.desktop = desktop;
    await desktop.ready(60_000);
    const bytebotd = scriptService({
      name: `bytebotd ${this.index}`,
      script: 'packages/bytebotd/src/bytebotd.main.ts',
      env: {
        ...process.env,
        ...desktop.environment(),
        BYTEBOT_DISPLAY: desktop.display,
        XAUTHORITY: desktop.xauthority,
        BYTEBOT_HOST: '127.0.0.1',
        BYTEBOTD_PORT: String(this.port),
        BYTEBOT_DATA_DIR: join(this.folder(), 'bytebotd'),
        BYTEBOT_TOKEN: this.options.token,
        BYTEBOT_DESKTOP_USER: user.name,
        BYTEBOT_DESKTOP_HOME: home,
        // No VNC server on evaluation desktops: nobody watches, and it costs a core's share.
        BYTEBOT_VNC_PORT: '1',
      },
      healthUrl: `${this.bytebotdUrl}/health`,
      print: (line) => this.options.log(line),
    });
    bytebotd.start((code) => this.options.log(`bytebotd ${this.index} exited (${code})`));
    this.bytebotd = bytebotd;
    await bytebotd.waitUntilHealthy(60_000);
    return {
      home,
      user: taskUser,
      desktop,
      client: new BytebotdClient({ baseUrl: this.bytebotdUrl, token: this.options.token }),
      context: (pages = noPages) =>
        createTaskContext({
          user: taskUser,
          home,
          screen: this.options.screen,
          environment: desktop.environment(),
          pageUrl: pages.pageUrl,
          pageRecords: pages.records,
        }),
    };
  }

  async close(): Promise<void> {
    try {
      await this.endCurrent();
    } finally {
      this.guard?.reveal();
      this.guard = undefined;
      this.claim?.release();
      this.claim = undefined;
    }
  }

  private async endCurrent(): Promise<void> {
    await this.bytebotd?.stop(5_000);
    this.bytebotd = undefined;
    await this.desktop?.stop();
    this.desktop = undefined;
    const user = this.user;
    // What the task started outside the session (a daemon, a detached program) ends with the account's other processes.
    if (user && isRoot() && user.name.startsWith('bytebot-eval-')) {
      try {
        execFileSync('pkill', ['-KILL', '-u', user.name], { stdio: 'ignore' });
      } catch {
        // pkill answers 1 when nothing was left running.
      }
    }
    if (this.home) rmSync(this.home, { recursive: true, force: true });
    this.home = undefined;
  }

  private folder(): string {
    return join(this.options.folder, `slot-${this.index}`);
  }

  private requireUser(): DesktopUser {
    if (!this.user) throw new Error('the desktop slot is not open');
    return this.user;
  }
}
