import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CustomTools,
  createAnthropic,
  describeEncoding,
  encodeScreenshot,
  FileRepository,
  losslessScreenshots,
  MessageRepository,
  ModelCatalog,
  type ModelProvider,
  modelScreenSize,
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
import { openScenes } from '../tests/support/desktop-scenes.ts';
import {
  reply as anthropicReply,
  startScriptedAnthropicServer,
} from '../tests/support/scripted-anthropic-server.ts';
import { reply as geminiReply, startScriptedGeminiServer } from '../tests/support/scripted-gemini-server.ts';
import {
  reply as openaiReply,
  startScriptedOpenAIResponsesServer,
} from '../tests/support/scripted-openai-responses-server.ts';
import { startTestDesktop, type TestDesktop } from '../tests/support/test-desktop.ts';

const execFileAsync = promisify(execFile);

/**
 * The model loop's own cost per step, on a scripted 30-step task: wall time not spent in the model or
 * in bytebotd (storage, context building, events), and the input tokens each step sends, with the
 * context measures (old screenshots dropped) and without them. Then what each step uploads to the model,
 * per provider adapter, before (lossless PNG on XFCE's default wallpaper) and after (each provider's
 * screenshot encoding on the plain desktop), on an empty desktop and on a busy one.
 */
const steps = 30;
/** A home uplink: what a request body costs in time before the model can start. */
const uplinkBitsPerSecond = 20_000_000;

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

/** Base64 images in a request body as JSON: Anthropic's and Gemini's `data`, OpenAI's data URLs. */
const imagePattern = /"(?:data|image_url)":"(?:data:image\/[a-z]+;base64,)?([A-Za-z0-9+/=]+)"/g;

function imageBytes(json: string): number {
  let bytes = 0;
  for (const match of json.matchAll(imagePattern)) bytes += match[1]?.length ?? 0;
  return bytes;
}

/** Anthropic's estimate for an image (width x height / 750), plus about 4 characters a token for text. */
function estimateInputTokens(json: string): number {
  let tokens = 0;
  const withoutImages = json.replace(imagePattern, () => {
    tokens += Math.round((1280 * 960) / 750);
    return '""';
  });
  return tokens + Math.round(withoutImages.length / 4);
}

function median(values: number[]): number {
  const sorted = [...values].sort((first, second) => first - second);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** A provider adapter pointed at its scripted stand-in, with a script of `steps` steps. */
interface ScriptedModel {
  name: string;
  provider: ModelProvider;
  /** The request bodies the stand-in accepted, as JSON. */
  bodies(): string[];
  /** Requests the stand-in refused (a rule of the real API broken): none expected. */
  refusals(): string[];
  close(): Promise<void>;
}

type ModelKind = 'anthropic' | 'anthropic-standard' | 'openai' | 'gemini';

/** The pointer moves along a line, a screenshot after each move, then the task is done. */
async function scriptedModel(kind: ModelKind): Promise<ScriptedModel> {
  const moves = Array.from({ length: steps - 1 }, (_, index) => ({ x: 100 + index * 10, y: 200 }));
  const done = { status: 'completed', description: 'done' };
  if (kind === 'anthropic' || kind === 'anthropic-standard') {
    const server = await startScriptedAnthropicServer([
      ...moves.map((point) =>
        anthropicReply.computer({ action: 'mouse_move', coordinate: [point.x, point.y] }),
      ),
      anthropicReply.tool('set_task_status', done),
    ]);
    // Claude Sonnet 4.6 takes pictures of at most 1.15 megapixels (1238x928 of this screen), as the
    // issue's baseline had it; Sonnet 5.5's toolset takes the screen as it is.
    const model = kind === 'anthropic' ? 'claude-sonnet-5-5' : 'claude-sonnet-4-6';
    return {
      name: `anthropic ${model}`,
      provider: createAnthropic({ apiKey: 'bench', baseUrl: server.url, model }),
      bodies: () => server.requests.map((request) => JSON.stringify(request.body)),
      refusals: () => server.refused.map((refusal) => refusal.message),
      close: () => server.close(),
    };
  }
  if (kind === 'openai') {
    const server = await startScriptedOpenAIResponsesServer([
      ...moves.map((point) => openaiReply.computer([{ type: 'move', x: point.x, y: point.y }])),
      openaiReply.function('set_task_status', done),
    ]);
    const resolved = new ModelCatalog({
      OPENAI_API_KEY: 'bench',
      OPENAI_BASE_URL: `${server.url}/v1`,
    }).resolve('gpt-5.5');
    if ('error' in resolved) throw new Error(resolved.error);
    return {
      name: 'openai gpt-5.5 (Responses)',
      provider: resolved.provider,
      bodies: () => server.requests.map((request) => JSON.stringify(request.body)),
      refusals: () => server.rejected.map((rejection) => JSON.stringify(rejection.error)),
      close: () => server.close(),
    };
  }
  const signature = (id: string) => Buffer.from(`sig-${id}`).toString('base64');
  const server = await startScriptedGeminiServer([
    ...moves.map((point, index) =>
      // Gemini points on a 0-999 grid.
      geminiReply.call(
        'move',
        { x: Math.round(point.x / 1.28), y: Math.round(point.y / 0.96), intent: 'move along' },
        { id: `move-${index}`, thoughtSignature: signature(`move-${index}`) },
      ),
    ),
    geminiReply.call('set_task_status', done, { id: 'done', thoughtSignature: signature('done') }),
  ]);
  const resolved = new ModelCatalog({ GEMINI_API_KEY: 'bench', GEMINI_BASE_URL: server.url }).resolve(
    'gemini-3.5-flash',
  );
  if ('error' in resolved) throw new Error(resolved.error);
  return {
    name: 'gemini gemini-3.5-flash',
    provider: resolved.provider,
    bodies: () => server.requests.map((request) => JSON.stringify(request.body)),
    refusals: () => server.refusals.map((refusal) => refusal.message),
    close: () => server.close(),
  };
}

interface TaskFigures {
  overheadMs: number[];
  stepMs: number[];
  tokens: number[];
  requestBytes: number[];
  imageBytes: number[];
  bytesPerStep: { database: number; disk: number };
}

async function runTask(
  test: TestDesktop,
  model: ScriptedModel,
  options: { keepScreenshots: number; lossless?: boolean },
): Promise<TaskFigures> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'bench-agent-'));
  const database = await openDatabase({ dataDirectory });
  try {
    const client = new TimedClient({ baseUrl: test.bytebotd.url, token: test.bytebotd.token });
    const inner = model.provider;
    let modelMs = 0;
    const overheadMs: number[] = [];
    /** Each step's wall time less the model's: the loop and the desktop (its settle-aware screenshots). */
    const stepMs: number[] = [];
    let stepStarted = 0;
    let accounted = 0;
    let modelAtStepStart = 0;
    const provider: ModelProvider = {
      ...inner,
      ...(options.lossless ? { screenshotEncoding: losslessScreenshots } : {}),
      async generate(request) {
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
          return await inner.generate(request);
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
        keepScreenshots: options.keepScreenshots,
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
    if (finished?.status !== 'COMPLETED' || model.refusals().length > 0)
      throw new Error(
        `the benchmark task with ${model.name} ended ${finished?.status}: ${finished?.error} ${model.refusals().join('; ')}`,
      );
    const stored = await new MessageRepository(database.db).list(task.id);
    const databaseBytes = Buffer.byteLength(JSON.stringify(stored.map((message) => message.content)));
    const folder = join(dataDirectory, 'screenshots', task.id);
    const diskBytes = readdirSync(folder).reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
    const bodies = model.bodies();
    return {
      overheadMs,
      stepMs,
      tokens: bodies.map(estimateInputTokens),
      requestBytes: bodies.map((body) => Buffer.byteLength(body)),
      imageBytes: bodies.map(imageBytes),
      bytesPerStep: { database: databaseBytes / steps, disk: diskBytes / steps },
    };
  } finally {
    await database.close();
    await model.close();
  }
}

// ---- The loop's own cost, on a bare X server -------------------------------------------------------

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
{
  const bare = await startTestDesktop({ session: 'none' });
  let measured: TaskFigures;
  let unmeasured: TaskFigures;
  try {
    measured = await runTask(bare, await scriptedModel('anthropic'), { keepScreenshots: 3 });
    unmeasured = await runTask(bare, await scriptedModel('anthropic'), { keepScreenshots: 10_000 });
  } finally {
    await bare.stop();
  }
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
}

// ---- What each step uploads to the model ----------------------------------------------------------

const kinds: ModelKind[] = (process.env.BENCH_PROVIDERS?.split(',') as ModelKind[] | undefined) ?? [
  'anthropic-standard',
  'anthropic',
  'openai',
  'gemini',
];

interface Row {
  desktop: string;
  model: string;
  encoding: string;
  figures: TaskFigures;
}

/** A terminal full of text on the left, a Firefox page in small print on the right. */
async function busy(test: TestDesktop) {
  const opened = await openScenes(test.desktop, ['terminal', 'firefox']);
  const environment = { ...process.env, ...test.desktop.environment() };
  const place = async (window: string, geometry: string) => {
    await execFileAsync('wmctrl', ['-i', '-r', window, '-b', 'remove,maximized_vert,maximized_horz'], {
      env: environment,
    });
    await execFileAsync('wmctrl', ['-i', '-r', window, '-e', geometry], { env: environment });
  };
  const [terminal, firefox] = ['terminal', 'firefox'].map(
    (name) => opened.scenes.find((scene) => scene.name === name)?.window as string,
  );
  await place(terminal as string, '0,0,28,640,900');
  await place(firefox as string, '0,640,28,640,900');
  return opened;
}

/** The copies the model gets, timed: the stored PNG at the model's size, encoded as each provider wants. */
async function encodeTimes(test: TestDesktop, label: string): Promise<string[]> {
  const lines: string[] = [];
  const screen = { width: 1280, height: 960 };
  const seen = new Set<string>();
  for (const kind of kinds) {
    const model = await scriptedModel(kind);
    await model.close();
    const size = modelScreenSize(model.provider.screenshotLimit, screen);
    const identity = size.width === screen.width && size.height === screen.height;
    const times: number[] = [];
    for (let round = 0; round < 15; round += 1) {
      const started = performance.now();
      await test.bytebotd.client.screenshot({ format: 'png', ...(identity ? {} : size) });
      times.push(performance.now() - started);
    }
    const png = Buffer.from(
      (await test.bytebotd.client.screenshot({ format: 'png', ...(identity ? {} : size) })).image,
      'base64',
    );
    const encoding = model.provider.screenshotEncoding ?? losslessScreenshots;
    for (const [which, chosen] of [
      ['newest', encoding.newest],
      ['older', encoding.older],
    ] as const) {
      const key = `${size.width}x${size.height} ${describeEncoding(chosen)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const encodeMs: number[] = [];
      let bytes = 0;
      let kind = '';
      for (let round = 0; round < 15; round += 1) {
        const started = performance.now();
        const copy = await encodeScreenshot(png, 'image/png', chosen, { atScreenPixels: identity });
        bytes = copy.data.length;
        kind = copy.lossless ? 'lossless' : 'lossy';
        encodeMs.push(performance.now() - started);
      }
      lines.push(
        `${label.padEnd(7)} ${`${size.width}x${size.height}`.padEnd(9)} bytebotd PNG ${median(times).toFixed(1).padStart(5)} ms ${`${(png.length / 1024).toFixed(0)} KB`.padStart(8)}   model copy (${which}) ${describeEncoding(chosen).padEnd(9)} ${median(encodeMs).toFixed(1).padStart(5)} ms ${`${(bytes / 1024).toFixed(0)} KB`.padStart(7)} ${kind}`,
      );
    }
  }
  return lines;
}

const rows: Row[] = [];
const encodeLines: string[] = [];
for (const wallpaper of ['default', 'plain'] as const) {
  const before = wallpaper === 'default';
  const previous = process.env.BYTEBOT_WALLPAPER;
  process.env.BYTEBOT_WALLPAPER = wallpaper;
  const test = await startTestDesktop({ session: 'xfce' });
  if (previous === undefined) delete process.env.BYTEBOT_WALLPAPER;
  else process.env.BYTEBOT_WALLPAPER = previous;
  try {
    for (const scene of ['empty', 'busy'] as const) {
      const opened = scene === 'busy' ? await busy(test) : undefined;
      try {
        for (const kind of kinds) {
          const model = await scriptedModel(kind);
          const encoding = before
            ? losslessScreenshots
            : (model.provider.screenshotEncoding ?? losslessScreenshots);
          const figures = await runTask(test, model, { keepScreenshots: 3, lossless: before }).catch(
            async (error: Error) => {
              // A connection to bytebotd closed under a request (seen once on /health): one more try.
              console.log(
                `(${model.name} on the ${scene} desktop failed once, tried again: ${error.message})`,
              );
              return runTask(test, await scriptedModel(kind), { keepScreenshots: 3, lossless: before });
            },
          );
          rows.push({
            desktop: `${scene}, ${wallpaper} wallpaper`,
            model: model.name,
            encoding: before
              ? 'png (as stored)'
              : `${describeEncoding(encoding.newest)} / ${describeEncoding(encoding.older)}`,
            figures,
          });
        }
        if (scene === 'busy' && !before) encodeLines.push(...(await encodeTimes(test, 'busy')));
        if (scene === 'empty' && !before) encodeLines.push(...(await encodeTimes(test, 'empty')));
      } finally {
        await opened?.close();
      }
    }
  } finally {
    await test.stop();
  }
}

const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
const upload = (bytes: number) => `${((bytes * 8) / uplinkBitsPerSecond).toFixed(2)} s`;
console.log(
  `\nmodel requests, scripted ${steps}-step task (pointer moves, a settled screenshot after each), ` +
    `${3} screenshots kept; bytes as sent (base64 images), upload at ${uplinkBitsPerSecond / 1e6} Mbit/s\n`,
);
console.log(
  `${'desktop'.padEnd(26)} ${'model'.padEnd(28)} ${'screenshots'.padEnd(18)} ${'request median'.padStart(14)} ${'30th step'.padStart(10)} ${'images/step'.padStart(12)} ${'upload/step'.padStart(12)} ${'whole task'.padStart(11)}`,
);
for (const row of rows) {
  const { requestBytes, imageBytes: images } = row.figures;
  console.log(
    `${row.desktop.padEnd(26)} ${row.model.padEnd(28)} ${row.encoding.padEnd(18)} ${kilobytes(median(requestBytes)).padStart(14)} ${kilobytes(requestBytes.at(-1) ?? 0).padStart(10)} ${kilobytes(median(images)).padStart(12)} ${upload(median(requestBytes)).padStart(12)} ${`${(requestBytes.reduce((sum, bytes) => sum + bytes, 0) / 1e6).toFixed(1)} MB`.padStart(11)}`,
  );
}
console.log(
  "\nWebP copies at the screen's own pixels go lossless where that is smaller (a screen of text); JPEG and WebP copies " +
    'larger than the stored PNG go as that PNG.',
);
console.log(
  '\nscreenshot encoding time (median of 15), plain wallpaper, the stored PNG and the model copy made from it\n',
);
for (const line of encodeLines) console.log(line);
