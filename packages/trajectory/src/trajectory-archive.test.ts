import { strToU8, zipSync } from 'fflate';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildSteps } from './build-steps.ts';
import { compareImages } from './image-difference.ts';
import {
  readTrajectoryArchive,
  TrajectoryFormatError,
  writeTrajectoryArchive,
} from './trajectory-archive.ts';
import type { Trajectory, TrajectoryMessage } from './trajectory-format.ts';

const shot = (n: number) => `${String(n).repeat(64).slice(0, 64)}.png`;

const messages: TrajectoryMessage[] = [
  {
    role: 'user',
    content: [{ type: 'text', text: 'Write hello into a file' }],
    createdAt: '2026-11-25T10:00:00.000Z',
  },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'I will open a terminal.' },
      {
        type: 'tool_use',
        id: 'a',
        name: 'open_application',
        input: { application: 'terminal' },
        summary: 'Opened the terminal',
      },
    ],
    usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.001 },
    createdAt: '2026-11-25T10:00:01.000Z',
  },
  {
    role: 'user',
    content: [
      {
        type: 'tool_result',
        tool_use_id: 'a',
        content: [{ type: 'image', source: { type: 'file', media_type: 'image/png', id: shot(1) } }],
        actions: [{ action: 'application', application: 'terminal' }],
        durationMs: 320,
      },
    ],
    createdAt: '2026-11-25T10:00:02.000Z',
  },
  {
    role: 'assistant',
    content: [
      { type: 'tool_use', id: 'b', name: 'computer', input: { action: 'type', text: 'echo hello > f\n' } },
      {
        type: 'tool_use',
        id: 'c',
        name: 'set_task_status',
        input: { status: 'completed', description: 'done' },
      },
    ],
    createdAt: '2026-11-25T10:00:03.000Z',
  },
  {
    role: 'user',
    content: [
      {
        type: 'tool_result',
        tool_use_id: 'b',
        content: [{ type: 'image', source: { type: 'file', media_type: 'image/png', id: shot(2) } }],
        actions: [{ action: 'type_text', text: 'echo hello > f\n' }],
        durationMs: 150,
      },
      {
        type: 'tool_result',
        tool_use_id: 'c',
        content: [{ type: 'text', text: 'Task status set to completed.' }],
      },
    ],
    createdAt: '2026-11-25T10:00:04.000Z',
  },
];

function trajectory(): Trajectory {
  return {
    manifest: {
      format: 'bytebot-trajectory',
      version: 1,
      exportedAt: '2026-11-25T10:01:00.000Z',
      task: {
        id: '00000000-0000-4000-8000-000000000000',
        description: 'Write hello into a file',
        model: 'claude-sonnet-5-5',
        status: 'COMPLETED',
        error: null,
        createdAt: '2026-11-25T10:00:00.000Z',
        completedAt: '2026-11-25T10:00:04.000Z',
        steps: 2,
        inputTokens: 100,
        outputTokens: 10,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.001,
        runningMs: 4000,
      },
    },
    steps: buildSteps(messages),
    messages,
    images: new Map([
      [`images/${shot(1)}`, new Uint8Array([1, 2, 3])],
      [`images/${shot(2)}`, new Uint8Array([4, 5, 6])],
    ]),
  };
}

describe('trajectory steps', () => {
  it('pairs each call with its result, desktop actions, timing and screenshots before and after', () => {
    const [first, second] = buildSteps(messages);
    expect(first).toMatchObject({
      index: 1,
      text: 'I will open a terminal.',
      usage: { inputTokens: 100 },
      calls: [
        {
          name: 'open_application',
          summary: 'Opened the terminal',
          actions: [{ action: 'application', application: 'terminal' }],
          durationMs: 320,
          screenshot: `images/${shot(1)}`,
        },
      ],
      screenshotAfter: `images/${shot(1)}`,
    });
    expect(first?.screenshotBefore).toBeUndefined();
    expect(second).toMatchObject({
      index: 2,
      screenshotBefore: `images/${shot(1)}`,
      screenshotAfter: `images/${shot(2)}`,
    });
    expect(second?.calls[1]).toMatchObject({
      name: 'set_task_status',
      result: { text: 'Task status set to completed.' },
    });
    expect(second?.calls[1]?.actions).toBeUndefined();
  });
});

describe('trajectory archives', () => {
  it('read back exactly what was written', () => {
    const original = trajectory();
    const read = readTrajectoryArchive(writeTrajectoryArchive(original));
    expect(read.manifest).toEqual(original.manifest);
    expect(read.steps).toEqual(original.steps);
    expect(read.messages).toEqual(original.messages);
    expect([...read.images.entries()]).toEqual([...original.images.entries()]);
  });

  it('name the file and the field of what is wrong', () => {
    const archive = (files: Record<string, string>) =>
      zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
    const good = {
      'task.json': JSON.stringify(trajectory().manifest),
      'steps.jsonl': '',
      'messages.jsonl': '',
    };
    expect(() => readTrajectoryArchive(new Uint8Array([1, 2, 3]))).toThrow(/not a zip archive/);
    expect(() => readTrajectoryArchive(archive({ 'task.json': good['task.json'] }))).toThrow(
      'steps.jsonl: missing from the archive',
    );
    expect(() => readTrajectoryArchive(archive({ ...good, 'task.json': '{' }))).toThrow(
      'task.json: not JSON',
    );
    const wrongStatus = { ...trajectory().manifest, task: { ...trajectory().manifest.task, status: 'DONE' } };
    expect(() =>
      readTrajectoryArchive(archive({ ...good, 'task.json': JSON.stringify(wrongStatus) })),
    ).toThrow(/^task\.json: task\.status: /);
    expect(() => readTrajectoryArchive(archive({ ...good, 'steps.jsonl': '{"index": 0}\n' }))).toThrow(
      /^steps\.jsonl line 1: index: /,
    );
    expect(() => readTrajectoryArchive(archive({ ...good, 'task.json': '{}' }))).toThrow(
      TrajectoryFormatError,
    );
  });
});

describe('screen comparison', () => {
  const screen = (paint?: { left: number; top: number; width: number; height: number }) => {
    const base = sharp({ create: { width: 200, height: 100, channels: 3, background: '#336699' } });
    if (!paint) return base.png().toBuffer();
    return base
      .composite([
        {
          input: { create: { width: paint.width, height: paint.height, channels: 3, background: '#ffffff' } },
          left: paint.left,
          top: paint.top,
        },
      ])
      .png()
      .toBuffer();
  };

  it('finds no difference between the same screens, and the share of pixels that changed otherwise', async () => {
    const same = await compareImages(await screen(), await screen());
    expect(same.fraction).toBe(0);
    const changed = await compareImages(
      await screen(),
      await screen({ left: 0, top: 0, width: 50, height: 40 }),
    );
    expect(changed.fraction).toBeCloseTo((50 * 40) / (200 * 100), 5);
    const marked = await sharp(changed.image).raw().toBuffer();
    expect([...marked.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect(marked[(99 * 200 + 199) * 3]).toBeLessThan(60);
  });

  it('ignores small colour noise such as JPEG artefacts', async () => {
    const noisy = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#3a6e9c' } })
      .png()
      .toBuffer();
    expect((await compareImages(await screen(), noisy)).fraction).toBe(0);
  });
});
