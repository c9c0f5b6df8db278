import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CustomTools,
  createAnthropic,
  defaultAnthropicModel,
  FileRepository,
  MessageRepository,
  openDatabase,
  RunningTasks,
  ScreenshotStore,
  SummaryRepository,
  TaskEvents,
  TaskRepository,
  TaskRunner,
} from '@bytebot/agent';
import { BytebotdClient } from '@bytebot/client';
import type { ComputerActionInput } from '@bytebot/protocol';
import {
  reply,
  type ScriptStep,
  startScriptedAnthropicServer,
} from '../tests/support/scripted-anthropic-server.ts';
import { startTestDesktop } from '../tests/support/test-desktop.ts';

/**
 * The model loop's own cost per step, on a scripted 30-step task: wall time not spent in the model or
 * in bytebotd (storage, context building, events), and the input tokens each step sends, with the
 * context measures (old screenshots dropped) and without them.
 */
const steps = 30;

class TimedClient extends BytebotdClient {
  spentMs = 0;

  override async action<Name extends ComputerActionInput['action']>(
    action: Extract<ComputerActionInput, { action: Name }>,
  ) {
    const started = performance.now();
    try {
      return await super.action(action);
    } finally {
      this.spentMs += performance.now() - started;
    }
  }
}

/** Anthropic's estimate for an image (width x height / 750), plus about 4 characters a token for text. */
function estimateInputTokens(body: { messages: unknown; system?: unknown; tools?: unknown }): number {
  const text = JSON.stringify(body);
  let tokens = 0;
  const withoutImages = text.replace(/"data":"[A-Za-z0-9+/=]+"/g, () => {
    tokens += Math.round((1280 * 960) / 750);
    return '""';
  });
  return tokens + Math.round(withoutImages.length / 4);
}

function median(values: number[]): number {
  const sorted = [...values].sort((first, second) => first - second);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function runTask(keepScreenshots: number): Promise<{
  overheadMs: number[];
  stepMs: number[];
  tokens: number[];
  bytesPerStep: { database: number; disk: number };
}> {
  const test = await startTestDesktop({ session: 'none' });
  const script: ScriptStep[] = Array.from({ length: steps - 1 }, (_, index) =>
    reply.computer({ action: 'mouse_move', coordinate: [100 + index * 10, 200] }),
  );
  script.push(reply.tool('set_task_status', { status: 'completed', description: 'done' }));
  const model = await startScriptedAnthropicServer(script);
  const dataDirectory = mkdtempSync(join(tmpdir(), 'bench-agent-'));
  const database = await openDatabase({ dataDirectory });
  try {
    const client = new TimedClient({ baseUrl: test.bytebotd.url, token: test.bytebotd.token });
    const anthropic = createAnthropic({ apiKey: 'bench', baseUrl: model.url, model: defaultAnthropicModel });
    let modelMs = 0;
    const overheadMs: number[] = [];
    /** Each step's wall time less the model's: the loop and the desktop (its settle-aware screenshots). */
    const stepMs: number[] = [];
    let stepStarted = 0;
    let accounted = 0;
    let modelAtStepStart = 0;
    const provider = {
      ...anthropic,
      provider: anthropic.provider,
      model: anthropic.model,
      async generate(request: Parameters<typeof anthropic.generate>[0]) {
        const now = performance.now();
        if (stepStarted > 0) {
          overheadMs.push(now - stepStarted - (modelMs + client.spentMs - accounted));
          stepMs.push(now - stepStarted - (modelMs - modelAtStepStart));
        }
        accounted = modelMs + client.spentMs;
        modelAtStepStart = modelMs;
        stepStarted = now;
        const started = performance.now();
        try {
          return await anthropic.generate(request);
        } finally {
          modelMs += performance.now() - started;
        }
      },
    };
    const tasks = new TaskRepository(database.db);
    const runner = new TaskRunner({
      tasks,
      messages: new MessageRepository(database.db),
      summaries: new SummaryRepository(database.db),
      files: new FileRepository(database.db),
      screenshots: new ScreenshotStore(join(dataDirectory, 'screenshots')),
      client,
      customTools: new CustomTools([], new Set()),
      models: { resolve: () => ({ provider }) },
      events: new TaskEvents(),
      running: new RunningTasks(),
      log: console,
      options: {
        maxOutputTokens: 1024,
        keepScreenshots,
        summarizeAboveTokens: 10_000_000,
        pausePollMs: 250,
        modelRetryMs: 1000,
        modelRetryMaxMs: 1000,
      },
    });
    const task = await tasks.create({
      description: 'Move the pointer along a line',
      type: 'IMMEDIATE',
      priority: 'MEDIUM',
      createdBy: 'USER',
    });
    await runner.run(task.id);
    const finished = await tasks.get(task.id);
    if (finished?.status !== 'COMPLETED')
      throw new Error(`the benchmark task ended ${finished?.status}: ${finished?.error}`);
    const stored = await new MessageRepository(database.db).list(task.id);
    const databaseBytes = Buffer.byteLength(JSON.stringify(stored.map((message) => message.content)));
    const folder = join(dataDirectory, 'screenshots', task.id);
    const diskBytes = readdirSync(folder).reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
    return {
      overheadMs,
      stepMs,
      tokens: model.requests.map((request) => estimateInputTokens(request.body)),
      bytesPerStep: { database: databaseBytes / steps, disk: diskBytes / steps },
    };
  } finally {
    await database.close();
    await model.close();
    await test.stop();
  }
}

const measured = await runTask(3);
const unmeasured = await runTask(10_000);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
console.log(`\nagent loop, scripted ${steps}-step task on PGlite (model and bytebotd time excluded)\n`);
console.log(
  `loop overhead per step   median ${median(measured.overheadMs).toFixed(2)} ms   p95 ${[...measured.overheadMs].sort((a, b) => a - b)[Math.floor(measured.overheadMs.length * 0.95)]?.toFixed(2)} ms`,
);
console.log(
  `input tokens per step    with context measures ${mean(measured.tokens).toFixed(0)}   without ${mean(unmeasured.tokens).toFixed(0)}   (last step: ${measured.tokens.at(-1)} vs ${unmeasured.tokens.at(-1)})`,
);
console.log(
  `bytes stored per step     database ${(measured.bytesPerStep.database / 1024).toFixed(1)} KiB (references, not images)   disk ${(measured.bytesPerStep.disk / 1024).toFixed(1)} KiB (screenshots, once each)`,
);
console.log(
  `step wall time less the model's   median ${median(measured.stepMs).toFixed(0)} ms with settle-aware screenshots ` +
    '(the fixed 750 ms pause of the original alone would add 750 ms to every step; see bytebotd.bench)',
);
