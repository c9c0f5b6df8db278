import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DesktopSlot,
  type EvalReport,
  type EvalSuite,
  type EvalTask,
  modelEnvironment,
  runEvaluation,
  type SlotAgent,
  startScriptedModelServer,
  startSlotAgent,
  suites,
} from '@bytebot/eval';
import type { AgentTask, ErrorBody, ReplayResult, TaskWithMessages } from '@bytebot/protocol';
import { readTrajectoryArchive, replayTrajectory, writeReplayReport } from '@bytebot/trajectory';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const suite = suites.starter as EvalSuite;
const task = suite.tasks.find((candidate) => candidate.id === 'terminal-write-greeting') as EvalTask;
const screen = { width: 1280, height: 960 };

describe('trajectories: recorded by a scripted run, replayed without a model', () => {
  const folder = mkdtempSync(join(tmpdir(), 'bytebot-replay-test-'));
  const token = randomBytes(16).toString('hex');
  let report: EvalReport;
  let archive: Buffer;
  const slot = new DesktopSlot({ screen, folder, token, log: () => undefined });

  beforeAll(async () => {
    report = await runEvaluation({
      suite,
      provider: 'scripted',
      model: 'claude-sonnet-5-5',
      desktops: 1,
      reportDirectory: join(folder, 'report'),
      maxSteps: 20,
      maxMinutes: 3,
      taskIds: [task.id],
    });
    archive = readFileSync(join(folder, 'report', 'tasks', task.id, 'trajectory.zip'));
    await slot.open();
  }, 180_000);

  afterAll(async () => {
    await slot.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** An agent of its own on the slot's bytebotd, on embedded storage in `name`. */
  const startAgent = (name: string, modelEnvironment: Record<string, string>) =>
    startSlotAgent({
      index: 1,
      bytebotdUrl: slot.bytebotdUrl,
      token,
      dataDirectory: join(folder, name),
      modelEnvironment,
      log: () => undefined,
    });

  const importArchive = (agent: SlotAgent, body: BodyInit) =>
    fetch(`${agent.url}/tasks/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' },
      body,
    });

  async function freshDesktop() {
    const prepared = await slot.prepare();
    const context = prepared.context();
    await task.setup(context);
    return { prepared, context };
  }

  it('exports the recorded steps: actions in screen pixels, screenshots, timings and tokens', () => {
    expect(report.tasks[0]?.passed).toBe(true);
    const trajectory = readTrajectoryArchive(archive);
    expect(trajectory.manifest.task.description).toBe(task.description);
    expect(trajectory.steps.length).toBe(report.tasks[0]?.steps);
    const [look, ...calls] = trajectory.steps.flatMap((step) => step.calls);
    // The scripted model first looks at the screen (with the toolset, that is how it learns its picture's
    // size), then makes one call per solution step, each carried out as exactly that desktop action.
    expect(look?.actions).toEqual([{ action: 'wait', duration: 0 }]);
    const solution = task.solution({ home: '/unused', screen } as Parameters<EvalTask['solution']>[0]);
    expect(calls.map((call) => call.actions?.map((action) => action.action))).toEqual(
      solution.map((step) => [step.action]),
    );
    expect(calls[0]?.actions).toEqual([{ action: 'application', application: 'terminal' }]);
    expect(calls.flatMap((call) => call.actions ?? [])).toContainEqual({
      action: 'type_text',
      text: "echo 'hello from bytebot' > ~/greeting.txt\n",
    });
    // Each call's duration is recorded, and one that waited on the desktop lasted at least that wait.
    const waitedMs = (call: (typeof calls)[number]) =>
      (call.actions ?? []).reduce(
        (sum, action) => sum + (action.action === 'wait' ? Number(action.duration) : 0),
        0,
      );
    expect(calls.filter((call) => waitedMs(call) > 0).length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.durationMs, call.name).toBeTypeOf('number');
      expect(call.durationMs, call.name).toBeGreaterThanOrEqual(waitedMs(call));
      expect(call.screenshot && trajectory.images.has(call.screenshot)).toBe(true);
    }
    expect(trajectory.steps[0]?.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('replays on a fresh desktop to the same end state, with no model at all', async () => {
    const { prepared, context } = await freshDesktop();
    expect((await task.check(context)).passed).toBe(false);
    const replay = await replayTrajectory(readTrajectoryArchive(archive), prepared.client);
    expect(replay.divergence?.reason).toBeUndefined();
    expect(replay.status).toBe('completed');
    expect(replay.replayedSteps).toBe(replay.totalSteps);
    expect(replay.calls.every((call) => call.difference !== null && call.difference < 0.02)).toBe(true);
    expect(await task.check(context)).toMatchObject({ passed: true });
  }, 90_000);

  it('stops at the first step when a window was moved before the replay, with both images and the difference', async () => {
    const { prepared, context } = await freshDesktop();
    // The person's terminal, dragged to another place: the recorded first step shows it elsewhere.
    context.launch('xfce4-terminal', ['--geometry', '60x12+700+520']);
    await context.waitForWindow(/Terminal/);
    const replay = await replayTrajectory(readTrajectoryArchive(archive), prepared.client);
    expect(replay.status).toBe('diverged');
    expect(replay.divergence?.step).toBe(1);
    expect(replay.divergence?.difference).toBeGreaterThan(0.02);
    const written = await writeReplayReport(join(folder, 'diverged'), replay);
    for (const name of ['replay.json', 'expected.png', 'actual.png', 'difference.png']) {
      expect(written).toContain(join(folder, 'diverged', name));
    }
    const difference = await sharp(join(folder, 'diverged', 'difference.png')).metadata();
    const expected = await sharp(join(folder, 'diverged', 'expected.png')).metadata();
    expect([difference.width, difference.height]).toEqual([expected.width, expected.height]);
    const summary = JSON.parse(readFileSync(join(folder, 'diverged', 'replay.json'), 'utf8'));
    expect(summary.divergence).toMatchObject({
      step: 1,
      images: ['expected.png', 'actual.png', 'difference.png'],
    });
    // The replay stopped there: the file the later step would have written is not there.
    expect(await task.check(context)).toMatchObject({ passed: false });
  }, 90_000);

  it('imports into an agent, exports the same steps again, and replays through the API', async () => {
    const { context } = await freshDesktop();
    const agent = await startAgent('agent-import', {});
    try {
      const imported = await importArchive(agent, new Uint8Array(archive));
      expect(imported.status).toBe(201);
      const importedTask = (await imported.json()) as AgentTask;
      expect(importedTask.status).toBe('COMPLETED');
      const shown = await agent.request<TaskWithMessages>('GET', `/tasks/${importedTask.id}`);
      const original = readTrajectoryArchive(archive);
      expect(shown.body.messages).toHaveLength(original.messages.length);
      const again = readTrajectoryArchive(await agent.download(`/tasks/${importedTask.id}/trajectory`));
      expect(again.steps.map((step) => step.calls.map((call) => call.actions))).toEqual(
        original.steps.map((step) => step.calls.map((call) => call.actions)),
      );
      expect([...again.images.keys()].sort()).toEqual([...original.images.keys()].sort());

      const badArchive = await importArchive(agent, 'not a zip');
      expect(badArchive.status).toBe(400);
      expect(((await badArchive.json()) as ErrorBody).error.message).toMatch(/^body: /);
      const badTolerance = await agent.request<ErrorBody>('POST', `/tasks/${importedTask.id}/replay`, {
        tolerance: 5,
      });
      expect(badTolerance.status).toBe(400);
      expect(badTolerance.body.error.message).toMatch(/tolerance/);

      const replayed = await agent.request<ReplayResult>('POST', `/tasks/${importedTask.id}/replay`, {});
      expect(replayed.status).toBe(200);
      expect(replayed.body).toMatchObject({ status: 'completed', replayedSteps: replayed.body.totalSteps });
      expect(await context.exists('greeting.txt')).toBe(true);
      expect(await task.check(context)).toMatchObject({ passed: true });
    } finally {
      await agent.stop();
    }
    expect(existsSync(join(folder, 'agent-import'))).toBe(true);
  }, 120_000);

  it('replays from the command line (npm run replay) and writes its report', async () => {
    const { context } = await freshDesktop();
    const file = join(folder, 'recorded.zip');
    writeFileSync(file, archive);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'packages/trajectory/src/replay.main.ts',
        file,
        '--report',
        join(folder, 'cli-report'),
      ],
      { env: { ...process.env, BYTEBOTD_URL: slot.bytebotdUrl, BYTEBOT_TOKEN: token }, timeout: 60_000 },
    );
    expect(stdout).toMatch(/replayed all \d+ steps; the screens matched the recording/);
    const summary = JSON.parse(readFileSync(join(folder, 'cli-report', 'replay.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'completed' });
    expect(await task.check(context)).toMatchObject({ passed: true });
  }, 90_000);

  it('hands the task to the model at the divergence, which finishes it from the screen as it is', async () => {
    const { context } = await freshDesktop();
    context.launch('xfce4-terminal', ['--geometry', '60x12+700+520']);
    await context.waitForWindow(/Terminal/);
    const model = await startScriptedModelServer();
    model.assign(task.description, { kind: 'solution', steps: task.solution(context), screen });
    const agent = await startAgent(
      'agent-hand-off',
      modelEnvironment('scripted', 'claude-sonnet-5-5', {}, model.url),
    );
    try {
      const recorded = await agent.client.importTrajectory(new Uint8Array(archive));
      const replayed = await agent.client.replay(recorded.id, { handOff: true });
      expect(replayed).toMatchObject({ status: 'diverged', divergence: { step: 1 } });
      expect(replayed.divergence?.differenceImage?.base64.length).toBeGreaterThan(100);
      expect(model.calls()).toBe(0);
      const handedOff = replayed.handedOffTaskId;
      expect(handedOff).toMatch(/^[0-9a-f-]{36}$/);
      const handedOffTask = await agent.client.waitForTask(
        handedOff as string,
        ['COMPLETED', 'FAILED', 'NEEDS_HELP'],
        {
          timeoutMs: 60_000,
          intervalMs: 200,
        },
      );
      expect(handedOffTask.status).toBe('COMPLETED');
      expect(model.calls()).toBeGreaterThan(0);
      expect(await task.check(context)).toMatchObject({ passed: true });
    } finally {
      await agent.stop();
      await model.close();
    }
  }, 120_000);
});
