import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BytebotdClient } from '@bytebot/client';
import { ConfigurationError, readEnvironment, readToken } from '@bytebot/config';
import { replayTrajectory } from './replay.ts';
import { writeReplayReport } from './replay-report.ts';
import { readTrajectoryArchive } from './trajectory-archive.ts';

const usage = `usage: npm run replay -- FILE.zip [--report DIR] [--tolerance 0.02] [--hand-off]

Plays a trajectory downloaded from the agent (GET /tasks/:id/trajectory) on the desktop at BYTEBOTD_URL,
without a model, and stops at the first screen that differs from the recording.
  --report DIR     where replay.json (and at a divergence expected.png, actual.png, difference.png) go;
                   default ./replay-report
  --tolerance F    share of differing pixels that counts as a divergence, 0 to 1 (default 0.02)
  --hand-off       replay through the agent at AGENT_URL instead, which gives the task to the model at a
                   divergence`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        report: { type: 'string', default: 'replay-report' },
        tolerance: { type: 'string' },
        'hand-off': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
}

async function main(): Promise<void> {
  const parsed = parseOptions();
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) fail('expected one trajectory file');
  const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
  if (tolerance !== undefined && !(tolerance >= 0 && tolerance <= 1)) {
    fail(`--tolerance: expected a number from 0 to 1, got "${values.tolerance}"`);
  }
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) =>
    fail(`${file}: ${error.message}`),
  );
  const environment = readEnvironment();
  const token = readToken({ token: environment.token, dataDirectory: environment.dataDirectory });

  if (values['hand-off']) {
    const call = async (path: string, body: BodyInit, type: string) => {
      const response = await fetch(`${environment.agentUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
      const answer = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    };
    const task = await call('/tasks/import', new Uint8Array(bytes), 'application/zip');
    const report = await call(
      `/tasks/${String(task.id)}/replay`,
      JSON.stringify({ handOff: true, ...(tolerance !== undefined ? { tolerance } : {}) }),
      'application/json',
    );
    const { divergence, ...rest } = report as { divergence?: Record<string, unknown> };
    process.stdout.write(
      `${JSON.stringify({ ...rest, ...(divergence ? { divergence: { ...divergence, expected: undefined, actual: undefined, differenceImage: undefined } } : {}) }, null, 2)}\n`,
    );
    return;
  }

  const trajectory = readTrajectoryArchive(bytes);
  const client = new BytebotdClient({ baseUrl: environment.bytebotdUrl, token });
  process.stdout.write(
    `replaying ${trajectory.steps.length} steps of "${trajectory.manifest.task.description.slice(0, 80)}" on ${environment.bytebotdUrl}\n`,
  );
  const report = await replayTrajectory(trajectory, client, {
    ...(tolerance !== undefined ? { tolerance } : {}),
    onProgress: (call) =>
      process.stdout.write(
        `  step ${call.step}: ${call.call}${call.difference === null ? '' : ` (${(call.difference * 100).toFixed(2)}% differs)`}\n`,
      ),
  });
  const written = await writeReplayReport(values.report, report);
  if (report.divergence) {
    process.stdout.write(
      `diverged at step ${report.divergence.step} (${report.divergence.call}): ${report.divergence.reason}\n`,
    );
  } else {
    process.stdout.write(`replayed all ${report.totalSteps} steps; the screens matched the recording\n`);
  }
  for (const skipped of report.skipped)
    process.stdout.write(`  skipped step ${skipped.step}: ${skipped.reason}\n`);
  process.stdout.write(`report: ${written.join(', ')}\n`);
  process.exitCode = report.status === 'completed' ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigurationError ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
