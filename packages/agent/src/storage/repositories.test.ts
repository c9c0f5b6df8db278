import { randomBytes, randomUUID } from 'node:crypto';
import type { ContentBlock, StoredContentBlock, TaskStatus } from '@bytebot/protocol';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentError } from '../agent-error.ts';
import type { AgentDatabase } from './database.ts';
import { FileRepository } from './file.repository.ts';
import { MessageRepository } from './message.repository.ts';
import { files, messages, summaries, tasks } from './schema.ts';
import { SummaryRepository } from './summary.repository.ts';
import { TaskRepository } from './task.repository.ts';
import { createTestDatabasePlace, drivers, type TestDatabasePlace } from './test-databases.fixture.ts';

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

describe.each(drivers)('storage on %s', (driver) => {
  let place: TestDatabasePlace;
  let database: AgentDatabase;
  /** A second connection pool on the same database (PostgreSQL), standing for a second agent process. */
  let other: AgentDatabase;
  let taskRepository: TaskRepository;
  let messageRepository: MessageRepository;
  let summaryRepository: SummaryRepository;
  let fileRepository: FileRepository;

  beforeAll(async () => {
    place = await createTestDatabasePlace(driver);
    database = await place.open();
    // PGlite is one connection in this process and cannot be opened twice; its racers share it.
    other = driver === 'postgres' ? await place.open() : database;
    taskRepository = new TaskRepository(database.db);
    messageRepository = new MessageRepository(database.db);
    summaryRepository = new SummaryRepository(database.db);
    fileRepository = new FileRepository(database.db);
  });

  afterAll(async () => {
    await place?.dispose();
  });

  beforeEach(async () => {
    await database.db.delete(tasks);
  });

  function newTask(description = 'open the calculator') {
    return taskRepository.create({ description, type: 'IMMEDIATE', priority: 'MEDIUM', createdBy: 'USER' });
  }

  /** PGlite's clock ticks in whole milliseconds: rows whose order a test checks are made a tick apart. */
  async function newTaskLater(description: string) {
    await sleep(2);
    return newTask(description);
  }

  it('reports which driver it is', () => {
    expect(database.driver).toBe(driver);
  });

  describe('tasks', () => {
    it('creates a pending task driven by the assistant and reads it back', async () => {
      const scheduledFor = new Date('2031-02-03T04:05:06.789Z');
      const created = await taskRepository.create({
        description: 'write a letter',
        type: 'SCHEDULED',
        priority: 'URGENT',
        createdBy: 'ASSISTANT',
        scheduledFor,
        model: 'claude-sonnet-4-5',
      });
      expect(created).toMatchObject({
        description: 'write a letter',
        type: 'SCHEDULED',
        priority: 'URGENT',
        createdBy: 'ASSISTANT',
        status: 'PENDING',
        control: 'ASSISTANT',
        model: 'claude-sonnet-4-5',
        error: null,
        result: null,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        executedAt: null,
        completedAt: null,
      });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(created.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(created.scheduledFor).toEqual(scheduledFor);
      expect(await taskRepository.get(created.id)).toEqual(created);
    });

    it('leaves optional fields null when they are not given', async () => {
      const created = await newTask();
      expect(created.scheduledFor).toBeNull();
      expect(created.model).toBeNull();
    });

    it('answers undefined for a missing task and for an id that is not a UUID', async () => {
      expect(await taskRepository.get(randomUUID())).toBeUndefined();
      expect(await taskRepository.get('not-a-uuid')).toBeUndefined();
      expect(await taskRepository.get("'; drop table tasks; --")).toBeUndefined();
      expect(await taskRepository.update('42', { status: 'RUNNING' })).toBeUndefined();
      expect(await taskRepository.delete('42')).toBe(false);
    });

    it('lists newest first, one page at a time, with the total', async () => {
      const created = [];
      for (let index = 0; index < 5; index += 1) created.push(await newTaskLater(`task ${index}`));
      const newestFirst = created.map((task) => task.description).reverse();

      const first = await taskRepository.list({ page: 1, limit: 2 });
      expect(first.total).toBe(5);
      expect(first.tasks.map((task) => task.description)).toEqual(newestFirst.slice(0, 2));
      const second = await taskRepository.list({ page: 2, limit: 2 });
      expect(second.tasks.map((task) => task.description)).toEqual(newestFirst.slice(2, 4));
      const third = await taskRepository.list({ page: 3, limit: 2 });
      expect(third.tasks.map((task) => task.description)).toEqual(newestFirst.slice(4));
      expect(await taskRepository.list({ page: 4, limit: 2 })).toEqual({ tasks: [], total: 5 });
      await expect(taskRepository.list({ page: 0, limit: 2 })).rejects.toThrow(RangeError);
    });

    it('filters the list by status, counting only the matching tasks', async () => {
      const statuses: TaskStatus[] = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'RUNNING'];
      for (const [index, status] of statuses.entries()) {
        const task = await newTaskLater(`task ${index}`);
        await taskRepository.update(task.id, { status });
      }
      const running = await taskRepository.list({ page: 1, limit: 10, statuses: ['RUNNING'] });
      expect(running.total).toBe(2);
      expect(running.tasks.map((task) => task.description)).toEqual(['task 4', 'task 1']);
      const finished = await taskRepository.list({ page: 1, limit: 1, statuses: ['COMPLETED', 'FAILED'] });
      expect(finished.total).toBe(2);
      expect(finished.tasks.map((task) => task.description)).toEqual(['task 3']);
      expect(await taskRepository.list({ page: 1, limit: 10, statuses: [] })).toEqual({
        tasks: [],
        total: 0,
      });
      expect((await taskRepository.list({ page: 1, limit: 10 })).total).toBe(5);
    });

    it('lists tasks by status oldest first, for recovery at start', async () => {
      const first = await newTaskLater('first');
      const second = await newTaskLater('second');
      const third = await newTaskLater('third');
      await taskRepository.update(second.id, { status: 'RUNNING' });
      await taskRepository.update(third.id, { status: 'COMPLETED' });
      const unfinished = await taskRepository.listByStatus(['PENDING', 'RUNNING']);
      expect(unfinished.map((task) => task.id)).toEqual([first.id, second.id]);
      expect(await taskRepository.listByStatus([])).toEqual([]);
    });

    it('updates only the fields given, and always moves updatedAt', async () => {
      const created = await taskRepository.create({
        description: 'd',
        type: 'IMMEDIATE',
        priority: 'LOW',
        createdBy: 'USER',
        model: 'first-model',
      });
      await sleep(5);
      const executedAt = new Date('2030-01-01T00:00:00.123Z');
      const running = await taskRepository.update(created.id, {
        status: 'RUNNING',
        executedAt,
        error: 'transient',
      });
      expect(running).toMatchObject({
        status: 'RUNNING',
        executedAt,
        error: 'transient',
        model: 'first-model',
      });
      expect(running?.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
      expect(running?.createdAt).toEqual(created.createdAt);

      await sleep(5);
      const result = { answer: 'done', steps: [1, 2, { nested: true }], note: null };
      const finished = await taskRepository.update(created.id, {
        status: 'COMPLETED',
        error: null,
        result,
        completedAt: new Date('2030-01-01T00:01:00Z'),
        control: 'USER',
      });
      expect(finished).toMatchObject({
        status: 'COMPLETED',
        error: null,
        result,
        control: 'USER',
        executedAt,
      });
      expect(finished?.updatedAt.getTime()).toBeGreaterThan(running?.updatedAt.getTime() ?? Infinity);

      await sleep(5);
      const touched = await taskRepository.update(created.id, {});
      expect(touched?.updatedAt.getTime()).toBeGreaterThan(finished?.updatedAt.getTime() ?? Infinity);
      expect(await taskRepository.get(created.id)).toEqual(touched);
    });

    it('ignores columns outside the patch even when a caller sneaks them in', async () => {
      const created = await newTask();
      const sneaky = { status: 'RUNNING', description: 'changed', inputTokens: 99 } as { status: TaskStatus };
      const updated = await taskRepository.update(created.id, sneaky);
      expect(updated).toMatchObject({ status: 'RUNNING', description: created.description, inputTokens: 0 });
    });

    it('updates with onlyIfStatusIn only when the status is one of them', async () => {
      const created = await newTask();
      expect(
        await taskRepository.update(created.id, { status: 'RUNNING' }, { onlyIfStatusIn: ['RUNNING'] }),
      ).toBe(undefined);
      expect((await taskRepository.get(created.id))?.status).toBe('PENDING');
      const claimed = await taskRepository.update(
        created.id,
        { status: 'RUNNING' },
        { onlyIfStatusIn: ['PENDING'] },
      );
      expect(claimed?.status).toBe('RUNNING');
      expect(await taskRepository.update(randomUUID(), { status: 'RUNNING' })).toBeUndefined();
    });

    it('lets exactly one of many concurrent claims of a pending task win', async () => {
      for (let round = 0; round < 5; round += 1) {
        const created = await newTask(`race ${round}`);
        const claimers = Array.from({ length: 8 }, (_, index) =>
          new TaskRepository((index % 2 === 0 ? database : other).db).update(
            created.id,
            { status: 'RUNNING', executedAt: new Date(), error: `winner ${index}` },
            { onlyIfStatusIn: ['PENDING'] },
          ),
        );
        const outcomes = await Promise.all(claimers);
        const winners = outcomes.filter((outcome) => outcome !== undefined);
        expect(winners).toHaveLength(1);
        const stored = await taskRepository.get(created.id);
        expect(stored?.status).toBe('RUNNING');
        expect(stored?.error).toBe(winners[0]?.error);
      }
    });

    it('adds usage atomically, even when additions race', async () => {
      const created = await newTask();
      const once = await taskRepository.addUsage(created.id, {
        inputTokens: 10,
        outputTokens: 20,
        cacheReadTokens: 30,
        cacheWriteTokens: 40,
      });
      expect(once).toMatchObject({
        inputTokens: 10,
        outputTokens: 20,
        cacheReadTokens: 30,
        cacheWriteTokens: 40,
      });
      expect(once.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

      const additions = Array.from({ length: 40 }, (_, index) =>
        new TaskRepository((index % 2 === 0 ? database : other).db).addUsage(created.id, {
          inputTokens: index,
          outputTokens: 1,
          cacheReadTokens: 1000,
          cacheWriteTokens: 0,
        }),
      );
      await Promise.all(additions);
      const sumOfIndexes = (39 * 40) / 2;
      expect(await taskRepository.get(created.id)).toMatchObject({
        inputTokens: 10 + sumOfIndexes,
        outputTokens: 20 + 40,
        cacheReadTokens: 30 + 40_000,
        cacheWriteTokens: 40,
      });
    });

    it('adds steps, cost and running time with the usage, and stores the limits', async () => {
      const created = await taskRepository.create({
        description: 'bounded',
        type: 'IMMEDIATE',
        priority: 'MEDIUM',
        createdBy: 'USER',
        limits: { maxSteps: 3, maxTokens: 1000, maxCostUsd: 0.5, maxMinutes: 0.02 },
      });
      expect(created).toMatchObject({
        limits: { maxSteps: 3, maxTokens: 1000, maxCostUsd: 0.5, maxMinutes: 0.02 },
        steps: 0,
        costUsd: 0,
        runningMs: 0,
      });
      expect((await newTask()).limits).toBeNull();
      const usage = { inputTokens: 600_000, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 };
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          new TaskRepository((index % 2 === 0 ? database : other).db).addUsage(created.id, usage, {
            steps: 1,
            costUsd: 1.2005,
            runningMs: 1500,
          }),
        ),
      );
      const summary = await taskRepository.addUsage(created.id, usage, { costUsd: 0.1 });
      expect(summary).toMatchObject({ steps: 10, runningMs: 15_000, inputTokens: 6_600_000 });
      // numeric: the sum is exact, and read back as a number.
      expect(summary.costUsd).toBe(12.105);
      expect(await taskRepository.addRunningTime(created.id, 250)).toMatchObject({ runningMs: 15_250 });
      expect(await taskRepository.addRunningTime(randomUUID(), 250)).toBeUndefined();
      const raised = await taskRepository.update(created.id, {
        limits: { maxSteps: 10, maxTokens: 1000, maxCostUsd: 0.5, maxMinutes: 0.02 },
      });
      expect(raised?.limits?.maxSteps).toBe(10);
    });

    it('refuses usage for a task that does not exist', async () => {
      const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 };
      await expect(taskRepository.addUsage(randomUUID(), usage)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(taskRepository.addUsage('nope', usage)).rejects.toBeInstanceOf(AgentError);
    });

    it('deletes a task with its messages, summaries and files', async () => {
      const doomed = await newTask('doomed');
      const kept = await newTask('kept');
      for (const task of [doomed, kept]) {
        const message = await messageRepository.append(task.id, 'user', [{ type: 'text', text: 'hello' }]);
        const parent = await summaryRepository.create({
          taskId: task.id,
          content: 'so far',
          coversUntilSequence: message.sequence,
        });
        await summaryRepository.create({
          taskId: task.id,
          content: 'further',
          parentId: parent.id,
          coversUntilSequence: message.sequence,
        });
        await fileRepository.create({
          taskId: task.id,
          name: 'a.txt',
          type: 'text/plain',
          size: 1,
          data: Buffer.from('a'),
        });
      }

      expect(await taskRepository.delete(doomed.id)).toBe(true);
      expect(await taskRepository.get(doomed.id)).toBeUndefined();
      const rowsOf = async (taskId: string) => ({
        messages: await database.db.$count(messages, eq(messages.taskId, taskId)),
        summaries: await database.db.$count(summaries, eq(summaries.taskId, taskId)),
        files: await database.db.$count(files, eq(files.taskId, taskId)),
      });
      expect(await rowsOf(doomed.id)).toEqual({ messages: 0, summaries: 0, files: 0 });
      expect(await rowsOf(kept.id)).toEqual({ messages: 1, summaries: 2, files: 1 });
      expect(await taskRepository.delete(doomed.id)).toBe(false);
    });
  });

  describe('messages', () => {
    const tricky: ContentBlock[] = [
      {
        type: 'text',
        text: 'Grüße, 你好, مرحبا, emoji 👩🏽‍💻🚀, combining é, quotes "\' \\ and\nnew\tlines',
      },
      {
        type: 'tool_use',
        id: 'toolu_01',
        name: 'computer',
        input: {
          action: 'type_text',
          text: '∑ x² ≤ ∞',
          nested: {
            list: [1, 2.5, -3, 1e21, true, false, null, { deeper: ['a', { deepest: [] }] }],
            empty: {},
          },
        },
      },
      {
        type: 'tool_result',
        tool_use_id: 'toolu_01',
        content: [
          { type: 'text', text: '' },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: randomBytes(30_000).toString('base64') },
          },
        ],
        is_error: false,
      },
    ];

    it('appends messages in order and returns their content exactly', async () => {
      const task = await newTask();
      const first = await messageRepository.append(task.id, 'user', [{ type: 'text', text: 'start' }]);
      const second = await messageRepository.append(task.id, 'assistant', tricky);
      expect(first).toMatchObject({
        taskId: task.id,
        role: 'user',
        content: [{ type: 'text', text: 'start' }],
      });
      expect(second.sequence).toBeGreaterThan(first.sequence);
      expect(second.content).toEqual(tricky);
      expect(second.createdAt).toBeInstanceOf(Date);
      const stored = await messageRepository.list(task.id);
      expect(stored).toEqual([first, second]);
      expect(JSON.stringify(stored[1]?.content)).toHaveLength(JSON.stringify(tricky).length);
    });

    it('keeps the order of messages appended concurrently by their sequence', async () => {
      const task = await newTask();
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          new MessageRepository((index % 2 === 0 ? database : other).db).append(task.id, 'user', [
            { type: 'text', text: `message ${index}` },
          ]),
        ),
      );
      const stored = await messageRepository.list(task.id);
      expect(stored).toHaveLength(20);
      const sequences = stored.map((message) => message.sequence);
      expect(sequences).toEqual([...sequences].sort((left, right) => left - right));
      expect(new Set(sequences).size).toBe(20);
      expect(new Set(stored.map((message) => message.id))).toEqual(
        new Set(appended.map((message) => message.id)),
      );
    });

    it('pages, lists after a sequence and counts', async () => {
      const task = await newTask();
      const otherTask = await newTask('other');
      await messageRepository.append(otherTask.id, 'user', [{ type: 'text', text: 'elsewhere' }]);
      const appended = [];
      for (let index = 0; index < 5; index += 1) {
        appended.push(
          await messageRepository.append(task.id, index % 2 ? 'assistant' : 'user', [
            { type: 'text', text: `${index}` },
          ]),
        );
      }
      const texts = (list: { content: StoredContentBlock[] }[]) =>
        list.map((message) => (message.content[0] as { text: string }).text);

      expect(texts(await messageRepository.list(task.id, { page: 2, limit: 2 }))).toEqual(['2', '3']);
      expect(texts(await messageRepository.list(task.id, { page: 3, limit: 2 }))).toEqual(['4']);
      expect(texts(await messageRepository.list(task.id, { limit: 3 }))).toEqual(['0', '1', '2']);
      expect(texts(await messageRepository.list(task.id, {}))).toEqual(['0', '1', '2', '3', '4']);
      expect(await messageRepository.list(task.id, { page: 9, limit: 2 })).toEqual([]);

      const afterSecond = await messageRepository.listAfter(task.id, appended[1]?.sequence ?? 0);
      expect(texts(afterSecond)).toEqual(['2', '3', '4']);
      expect(await messageRepository.listAfter(task.id, appended[4]?.sequence ?? 0)).toEqual([]);

      expect(await messageRepository.count(task.id)).toBe(5);
      expect(await messageRepository.count(otherTask.id)).toBe(1);
      expect(await messageRepository.count(randomUUID())).toBe(0);
      expect(await messageRepository.list('not-a-uuid')).toEqual([]);
    });

    it('refuses a message for a task that does not exist, as NOT_FOUND', async () => {
      const content: ContentBlock[] = [{ type: 'text', text: 'lost' }];
      await expect(messageRepository.append(randomUUID(), 'user', content)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(messageRepository.append('nope', 'user', content)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  describe('summaries', () => {
    it('returns the summary that reaches furthest, chained to its parent', async () => {
      const task = await newTask();
      expect(await summaryRepository.latest(task.id)).toBeUndefined();
      const first = await summaryRepository.create({
        taskId: task.id,
        content: 'opened the app',
        coversUntilSequence: 10,
      });
      expect(first).toMatchObject({
        taskId: task.id,
        content: 'opened the app',
        parentId: null,
        coversUntilSequence: 10,
      });
      const second = await summaryRepository.create({
        taskId: task.id,
        content: 'opened the app, typed the letter',
        parentId: first.id,
        coversUntilSequence: 25,
      });
      expect(await summaryRepository.latest(task.id)).toEqual(second);
      await sleep(5);
      const redone = await summaryRepository.create({
        taskId: task.id,
        content: 'redone',
        coversUntilSequence: 25,
      });
      expect(await summaryRepository.latest(task.id)).toEqual(redone);
    });

    it('keeps a summary whose parent is deleted, with no parent', async () => {
      const task = await newTask();
      const parent = await summaryRepository.create({
        taskId: task.id,
        content: 'p',
        coversUntilSequence: 1,
      });
      const child = await summaryRepository.create({
        taskId: task.id,
        content: 'c',
        parentId: parent.id,
        coversUntilSequence: 2,
      });
      await database.db.delete(summaries).where(eq(summaries.id, parent.id));
      expect(await summaryRepository.latest(task.id)).toEqual({ ...child, parentId: null });
    });

    it('refuses a summary for a missing task as NOT_FOUND, and a missing parent as a database error', async () => {
      await expect(
        summaryRepository.create({ taskId: randomUUID(), content: 'x', coversUntilSequence: 1 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const task = await newTask();
      const orphan = summaryRepository.create({
        taskId: task.id,
        content: 'x',
        parentId: randomUUID(),
        coversUntilSequence: 1,
      });
      await expect(orphan).rejects.toThrow();
      await expect(orphan).rejects.not.toBeInstanceOf(AgentError);
    });
  });

  describe('files', () => {
    it('stores the bytes of a file and gives them back as a Buffer', async () => {
      const task = await newTask();
      const everyByte = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
      const data = Buffer.concat([everyByte, randomBytes(200_000), everyByte]);
      const created = await fileRepository.create({
        taskId: task.id,
        name: 'blob.bin',
        type: 'application/octet-stream',
        size: data.length,
        data,
      });
      await sleep(2);
      const empty = await fileRepository.create({
        taskId: task.id,
        name: 'empty',
        type: 'text/plain',
        size: 0,
        data: Buffer.alloc(0),
      });
      expect(created).toMatchObject({ taskId: task.id, name: 'blob.bin', size: data.length, path: null });
      expect(Buffer.isBuffer(created.data)).toBe(true);
      expect(created.data?.equals(data)).toBe(true);

      const listed = await fileRepository.listForTask(task.id);
      expect(listed.map((file) => file.name)).toEqual(['blob.bin', 'empty']);
      expect(Buffer.isBuffer(listed[0]?.data)).toBe(true);
      expect(listed[0]?.data?.equals(data)).toBe(true);
      expect(listed[1]?.data?.length).toBe(0);
      expect(listed[1]?.id).toBe(empty.id);
      expect(await fileRepository.listForTask(randomUUID())).toEqual([]);
    });

    it('refuses a file for a task that does not exist, as NOT_FOUND', async () => {
      await expect(
        fileRepository.create({
          taskId: randomUUID(),
          name: 'a',
          type: 'text/plain',
          size: 1,
          data: Buffer.from('a'),
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
