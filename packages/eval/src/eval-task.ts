import type { ComputerActionInput } from '@bytebot/protocol';

/** Which of the desktop's own applications a task works in (for the report and for choosing tasks). */
export type EvalApplication =
  | 'terminal'
  | 'text_editor'
  | 'file_manager'
  | 'firefox'
  | 'settings'
  | 'clipboard';

export type Difficulty = 'easy' | 'medium' | 'hard';

/** What a checker found: passed or not, and in words what it saw (shown in the report). */
export interface CheckResult {
  passed: boolean;
  detail: string;
}

/** The result of a program run on the task's desktop. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** What the suite's web server recorded from its pages for this task (form posts, DOM snapshots). */
export interface PageRecord {
  page: string;
  data: Record<string, unknown>;
  at: string;
}

/**
 * Everything a task's setup and checker may touch: the task's own desktop, its own home folder (fresh for
 * every task), and the suite's web server. Checkers read real state through it, never the model's words.
 */
export interface TaskContext {
  /** The desktop user's home folder for this task: empty but for the desktop's own settings. */
  home: string;
  /** The screen size in pixels. */
  screen: { width: number; height: number };
  /** Runs a program as the desktop user, on this task's display and session bus. */
  run(
    command: string,
    args: string[],
    options?: { input?: string; timeoutMs?: number },
  ): Promise<CommandResult>;
  /** Starts a program as the desktop user on this desktop and returns at once (it keeps running). */
  launch(command: string, args: string[]): void;
  /** Writes a file in the home folder (relative paths), owned by the desktop user; folders are created. */
  writeFile(path: string, content: string | Buffer): Promise<void>;
  /** Reads a file of the home folder, or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Whether a file or folder exists in the home folder. */
  exists(path: string): Promise<boolean>;
  /** Titles of the open windows (from the window manager). */
  windowTitles(): Promise<string[]>;
  /** Waits until a window whose title matches is open; fails after the timeout. */
  waitForWindow(title: RegExp, timeoutMs?: number): Promise<void>;
  /** The text on the clipboard (the CLIPBOARD selection), or '' when none. */
  clipboard(): Promise<string>;
  /** An address of the suite's web server for this task's pages (a path such as "/form.html"). */
  pageUrl(path: string): string;
  /** What this task's pages sent to the suite's server, oldest first. */
  pageRecords(): PageRecord[];
}

/**
 * One step of a scripted solution: a bytebotd action in screen pixels. The scripted model plays these one
 * per turn through the agent, as a model would.
 */
export type SolutionStep = ComputerActionInput;

/** The agent's own tools a task may let the model use, beside the computer and set_task_status. */
export type OptionalAgentTool = 'open_application' | 'read_file' | 'write_file';

/**
 * A wrong end state a checker must refuse: applied on a fresh desktop after setup, it makes the state a
 * careless solution would leave (the right file with one wrong line, a form sent twice with a wrong first
 * entry, the right title on a blank page). `npm run eval:check` requires the checker to fail every one.
 */
export interface NearMiss {
  /** In words, what is wrong ("the form sent twice, the first time with the wrong name"). */
  name: string;
  apply(context: TaskContext): Promise<void>;
}

/**
 * One task of a suite: what the model is told, how its desktop is prepared, how success is read off the
 * desktop afterwards, and a known way to do it.
 */
export interface EvalTask {
  /** Unique in its suite, kebab-case: it names the task in reports and folders. */
  id: string;
  /** What the model is asked to do, in plain words, as a user would ask. */
  description: string;
  difficulty: Difficulty;
  applications: EvalApplication[];
  /** Prepares the fresh desktop: files, open applications, settings. */
  setup(context: TaskContext): Promise<void>;
  /** Reads the real end state (files, settings, window titles, clipboard, page records). */
  check(context: TaskContext): Promise<CheckResult>;
  /** A scripted solution: actions that, played in order on the prepared desktop, make the checker pass. */
  solution(context: TaskContext): SolutionStep[];
  /**
   * False for a task that cannot be done (a setting that does not exist, a file that is not there): it
   * passes only when the agent ends it NEEDS_HELP or FAILED with a reason and the checker finds nothing
   * changed. A feasible task (the default) passes only when the agent ended it COMPLETED.
   */
  feasible?: boolean;
  /**
   * The agent's own tools the model may use on this task. Default: open_application only, since the file
   * tools would let a model write the expected file without touching the application the task is about.
   */
  tools?: OptionalAgentTool[];
  /** Wrong end states the checker must refuse (see NearMiss). */
  nearMisses?(context: TaskContext): NearMiss[];
  /**
   * The files a model that only calls write_file would write to claim the task (the expected end state,
   * written directly): with the file tools withheld, or with a checker that verifies the route, it must fail.
   */
  shortcut?(context: TaskContext): Array<{ path: string; content: string }>;
  /**
   * Why this runner cannot run the task (a task file using a setup step, getter or metric it lacks, e.g.
   * 'unsupported metric "compare_pptx_files"'): it is reported skipped, neither passed nor failed.
   */
  unsupported?: string;
}

export interface EvalSuite {
  name: string;
  description: string;
  tasks: EvalTask[];
  /** Pages the suite's web server serves to its tasks, by path ("/form.html"). */
  pages: Record<string, string>;
}
