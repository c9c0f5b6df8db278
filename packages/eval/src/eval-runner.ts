import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentClientError } from '@bytebot/client';
import { type AgentTask, stoppedTaskStatuses } from '@bytebot/protocol';
import { readTrajectoryArchive } from '@bytebot/trajectory';
import { DesktopSlot } from './desktop-slot.ts';
import type { EvalEntry, EvalReport } from './eval-report.ts';
import type { EvalSuite, EvalTask, OptionalAgentTool, TaskContext } from './eval-task.ts';
import { type EvalProvider, isStandIn, modelEnvironment } from './model-environment.ts';
import { renderHtml } from './report-html.ts';
import { listSteps } from './report-steps.ts';
import {
  type ScriptedBehaviour,
  type ScriptedModelServer,
  startScriptedModelServer,
} from './scripted-model-server.ts';
import { type SlotAgent, startSlotAgent } from './slot-agent.ts';
import { type SuiteWebServer, startSuiteWebServer } from './suite-web-server.ts';
import { finalWords, judgeOutcome } from './task-outcome.ts';

export interface EvalOptions {
  suite: EvalSuite;
  provider: EvalProvider;
  model: string;
  desktops: number;
  reportDirectory: string;
  /** Guard rails of every task: model calls, and minutes of running time. */
  maxSteps: number;
  maxMinutes: number;
  /** Only these tasks of the suite (all when empty). */
  taskIds?: string[];
  screen?: { width: number; height: number };
  /** Where the provider's keys are read (process.env by default). */
  environment?: NodeJS.ProcessEnv;
  /** One line per finished task, while the run goes on. */
  progress?: (line: string) => void;
  /** The services' own output, for debugging. */
  log?: (line: string) => void;
}

/**
 * Runs a suite: N desktops (each its own display, account, bytebotd and agent on embedded storage), every
 * task on a fresh desktop with its setup, the model working under a step and time cap, then the task's
 * checker on the real end state. Writes report.json (after each task, so a stopped run keeps what it did)
 * and report.html, with each task's trajectory and screenshots beside them.
 */
export async function runEvaluation(options: EvalOptions): Promise<EvalReport> {
  const screen = options.screen ?? { width: 1280, height: 960 };
  const progress = options.progress ?? (() => undefined);
  const log = options.log ?? (() => undefined);
  const tasks = options.taskIds?.length
    ? options.taskIds.map((id) => {
        const task = options.suite.tasks.find((candidate) => candidate.id === id);
        if (!task) throw new Error(`--task ${id}: no such task in suite "${options.suite.name}"`);
        return task;
      })
    : options.suite.tasks;
  const started = Date.now();
  const report: EvalReport = {
    suite: options.suite.name,
    provider: options.provider,
    model: options.model,
    desktops: options.desktops,
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    passed: 0,
    total: tasks.length,
    tasks: [],
  };
  mkdirSync(options.reportDirectory, { recursive: true });
  const folder = mkdtempSync('/tmp/bytebot-eval-');
  chmodSync(folder, 0o711);
  const token = randomBytes(24).toString('hex');
  const slots: DesktopSlot[] = [];
  const agents: SlotAgent[] = [];
  let web: SuiteWebServer | undefined;
  let scripted: ScriptedModelServer | undefined;
  try {
    web = await startSuiteWebServer(options.suite.pages);
    if (isStandIn(options.provider)) scripted = await startScriptedModelServer();
    const environment = modelEnvironment(
      options.provider,
      options.model,
      options.environment ?? process.env,
      scripted?.url,
    );
    const count = Math.max(1, Math.min(options.desktops, tasks.length));
    for (let opened = 0; opened < count; opened += 1) {
      const slot = new DesktopSlot({ screen, folder, token, log, privatePaths: [options.reportDirectory] });
      slots.push(slot);
      await slot.open();
      agents.push(
        await startSlotAgent({
          index: slot.index,
          bytebotdUrl: slot.bytebotdUrl,
          token,
          dataDirectory: join(folder, `slot-${slot.index}`, 'agent'),
          modelEnvironment: environment,
          log,
        }),
      );
    }
    const waiting = tasks.map((task, position) => ({ task, position }));
    const entries: Array<EvalEntry & { position: number }> = [];
    let running = 0;
    const work = async (slot: DesktopSlot, agent: SlotAgent) => {
      for (let next = waiting.shift(); next; next = waiting.shift()) {
        running += 1;
        const entry = await runTask(next.task, {
          slot,
          agent,
          web: web as SuiteWebServer,
          scripted,
          options,
          screen,
        });
        running -= 1;
        entries.push({ ...entry, position: next.position });
        report.tasks = [...entries]
          .sort((first, second) => first.position - second.position)
          .map(({ position: _, ...rest }) => rest);
        report.passed = report.tasks.filter((task) => task.passed).length;
        report.skipped = report.tasks.filter((task) => task.skipped).length;
        report.seconds = (Date.now() - started) / 1000;
        writeFileSync(join(options.reportDirectory, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
        progress(
          `[${String(entries.length).padStart(String(tasks.length).length)}/${tasks.length}] ` +
            `${entry.skipped ? 'skip' : entry.passed ? 'pass' : 'FAIL'} ${entry.id} · ${entry.steps} steps · ${entry.seconds.toFixed(1)} s` +
            `${entry.passed ? '' : ` · ${entry.skipped ?? entry.error ?? entry.detail}`} (${report.passed} passed so far, ${running} running, ${waiting.length} waiting)`,
        );
      }
    };
    await Promise.all(slots.map((slot, index) => work(slot, agents[index] as SlotAgent)));
  } finally {
    await Promise.all(agents.map((agent) => agent.stop().catch(() => undefined)));
    await Promise.all(slots.map((slot) => slot.close().catch(() => undefined)));
    await web?.close();
    await scripted?.close();
    rmSync(folder, { recursive: true, force: true });
  }
  report.seconds = (Date.now() - started) / 1000;
  writeFileSync(join(options.reportDirectory, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.reportDirectory, 'report.html'), renderHtml(report));
  return report;
}

async function runTask(
  task: EvalTask,
  run: {
    slot: DesktopSlot;
    agent: SlotAgent;
    web: SuiteWebServer;
    scripted: ScriptedModelServer | undefined;
    options: EvalOptions;
    screen: { width: number; height: number };
  },
): Promise<EvalEntry> {
  const { slot, agent, options } = run;
  const entry: EvalEntry = {
    id: task.id,
    passed: false,
    steps: 0,
    seconds: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    error: null,
    detail: '',
    status: 'NOT_STARTED',
    finalMessage: null,
    feasible: task.feasible ?? true,
    difficulty: task.difficulty,
    applications: task.applications,
    overheadMs: { reset: 0, setup: 0, check: 0 },
    trajectory: null,
    screenshots: [],
  };
  // A task this runner cannot run takes no desktop: it is reported, neither passed nor failed.
  if (task.unsupported) return { ...entry, skipped: task.unsupported };
  let clock = Date.now();
  const lap = () => {
    const now = Date.now();
    const elapsed = now - clock;
    clock = now;
    return elapsed;
  };
  const pages = run.web.openRun();
  try {
    const prepared = await slot.prepare();
    entry.overheadMs.reset = lap();
    const context = prepared.context(pages);
    try {
      await task.setup(context);
    } catch (error) {
      entry.error = `setup failed: ${(error as Error).message}`;
      return entry;
    }
    entry.overheadMs.setup = lap();
    run.scripted?.assign(task.description, standInBehaviour(task, context, options.provider, run.screen));
    const created = await agent.client
      .createTask({
        description: task.description,
        model: options.model,
        limits: {
          maxSteps: options.maxSteps,
          maxMinutes: options.maxMinutes,
          tools: task.tools ?? defaultTaskTools,
        },
      })
      .catch((error: Error) => {
        throw new Error(`the agent refused the task: ${error.message}`);
      });
    const finished = await waitForEnd(agent, created.id, options.maxMinutes * 60_000 + 60_000);
    entry.seconds = lap() / 1000;
    Object.assign(entry, {
      steps: finished.steps,
      inputTokens: finished.inputTokens,
      outputTokens: finished.outputTokens,
      costUsd: finished.costUsd,
      status: finished.status,
      error: finished.status === 'COMPLETED' ? null : (finished.error ?? finished.status),
    });
    const checked = await task.check(context).catch((error: Error) => ({
      passed: false,
      detail: `the checker failed: ${error.message}`,
    }));
    entry.overheadMs.check = lap();
    const words = finalWords(await agent.client.messages(finished.id));
    entry.finalMessage = words.text;
    const judged = judgeOutcome({ feasible: entry.feasible, status: finished.status, words, checked });
    entry.passed = judged.passed;
    entry.detail = judged.detail;
    await saveTrajectory(agent, finished.id, task.id, options.reportDirectory, entry).catch(
      (error: Error) => {
        entry.error ??= `the trajectory could not be saved: ${error.message}`;
      },
    );
    return entry;
  } catch (error) {
    entry.error = (error as Error).message;
    return entry;
  } finally {
    pages.close();
  }
}

/**
 * The model's own tools a task gets unless it names its own: the file tools would let a model write the
 * expected file without touching the application the task is about.
 */
const defaultTaskTools: OptionalAgentTool[] = ['open_application'];

/**
 * What the stand-in model does on a task: its scripted solution, ending in a refusal with a reason on a task
 * that cannot be done; the task's shortcut files written with write_file; or nothing. Computed after setup,
 * since solutions read the prepared desktop.
 */
function standInBehaviour(
  task: EvalTask,
  context: TaskContext,
  provider: EvalProvider,
  screen: { width: number },
): ScriptedBehaviour {
  if (provider === 'no-op') return { kind: 'no-op' };
  if (provider === 'write-file') return { kind: 'write-file', files: task.shortcut?.(context) ?? [] };
  const steps = task.solution(context);
  if (task.feasible !== false) return { kind: 'solution', steps, screen };
  return {
    kind: 'refuse',
    steps,
    screen,
    reason:
      'I cannot do this as asked: what the request names is not on this desktop. I changed nothing; ' +
      'please check the request and tell me how to go on.',
  };
}

/**
 * Waits until the task stops (finished, or waiting for a person: nobody will answer here); past the deadline
 * it is cancelled (the agent's own time limit failed).
 */
async function waitForEnd(agent: SlotAgent, id: string, deadlineMs: number): Promise<AgentTask> {
  try {
    return await agent.client.waitForTask(id, stoppedTaskStatuses, {
      timeoutMs: deadlineMs,
      intervalMs: 200,
    });
  } catch (error) {
    if (!(error instanceof AgentClientError && error.code === 'TIMEOUT')) throw error;
    const cancelled = await agent.client.cancel(id);
    return { ...cancelled, error: 'the runner stopped the task at its time cap' };
  }
}

/** The task's trajectory zip, and its screenshots as files for report.html, under tasks/<task id>/. */
async function saveTrajectory(
  agent: SlotAgent,
  agentTaskId: string,
  taskId: string,
  reportDirectory: string,
  entry: EvalEntry,
): Promise<void> {
  const archive = await agent.client.exportTrajectory(agentTaskId);
  const folder = join(reportDirectory, 'tasks', taskId);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'trajectory.zip'), archive);
  entry.trajectory = `tasks/${taskId}/trajectory.zip`;
  const trajectory = readTrajectoryArchive(archive);
  const seen: string[] = [];
  for (const step of trajectory.steps) {
    for (const call of step.calls)
      if (call.screenshot && seen.at(-1) !== call.screenshot) seen.push(call.screenshot);
  }
  entry.screenshots = seen.map((path, index) => {
    const name = `${String(index + 1).padStart(3, '0')}${path.slice(path.lastIndexOf('.'))}`;
    writeFileSync(join(folder, name), trajectory.images.get(path) as Uint8Array);
    return `tasks/${taskId}/${name}`;
  });
  const fileOf = new Map(seen.map((path, index) => [path, entry.screenshots[index] as string]));
  entry.stepList = listSteps(trajectory.steps, fileOf);
}
