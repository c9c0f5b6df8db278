import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseScreenshotFiles } from '../screenshots/database-screenshot-files.ts';
import { ScreenshotStore } from '../screenshots/screenshot-store.ts';
import type { AgentDatabase } from '../storage/database.ts';
import { DesktopRepository } from '../storage/desktop.repository.ts';
import { desktops, screenshots } from '../storage/schema.ts';
import { TaskRepository } from '../storage/task.repository.ts';
import {
  createTestDatabasePlace,
  drivers,
  type TestDatabasePlace,
} from '../storage/test-databases.fixture.ts';
import { DesktopService } from './desktop.service.ts';

describe.each(drivers)('the fleet in the database on %s', (driver) => {
  let place: TestDatabasePlace;
  let database: AgentDatabase;
  let rows: DesktopRepository;
  let tasks: TaskRepository;

  beforeAll(async () => {
    place = await createTestDatabasePlace(driver);
    database = await place.open();
    rows = new DesktopRepository(database.db);
    tasks = new TaskRepository(database.db);
  });

  afterAll(async () => {
    await place?.dispose();
  });

  const sighting = (id: string, state: 'idle' | 'busy' | 'down', taskId: string | null = null) => ({
    id,
    agentId: `agent-of-${id}`,
    address: `http://${id}:9990`,
    machine: 'machine',
    screen: { width: 1280, height: 960 },
    state,
    taskId,
  });

  it('lists each desktop once, its latest heartbeat, without its address, down once its heartbeat is old', async () => {
    const task = await tasks.create({
      description: 'x',
      type: 'IMMEDIATE',
      priority: 'MEDIUM',
      createdBy: 'USER',
    });
    await rows.record(sighting('desktop-b', 'idle'));
    await rows.record(sighting('desktop-a', 'idle'));
    await rows.record(sighting('desktop-a', 'busy', task.id));
    // A heartbeat that did not learn the screen keeps the one known.
    await rows.record({ ...sighting('desktop-b', 'idle'), screen: null });
    const service = new DesktopService(rows, 60_000);
    const { desktops: listed } = await service.list();
    expect(
      listed.map(({ id, state, taskId, screen, agentId }) => ({ id, state, taskId, screen, agentId })),
    ).toEqual([
      {
        id: 'desktop-a',
        state: 'busy',
        taskId: task.id,
        screen: { width: 1280, height: 960 },
        agentId: 'agent-of-desktop-a',
      },
      {
        id: 'desktop-b',
        state: 'idle',
        taskId: null,
        screen: { width: 1280, height: 960 },
        agentId: 'agent-of-desktop-b',
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('9990');

    // desktop-a's agent stopped beating a minute ago: down, and running nothing.
    await database.db
      .update(desktops)
      .set({ lastSeenAt: sql`now() - interval '61 seconds'` })
      .where(sql`${desktops.id} = 'desktop-a'`);
    const later = await service.list();
    expect(later.desktops.map(({ id, state, taskId }) => ({ id, state, taskId }))).toEqual([
      { id: 'desktop-a', state: 'down', taskId: null },
      { id: 'desktop-b', state: 'idle', taskId: null },
    ]);
    expect(await rows.anotherIsUp('desktop-b', 60_000)).toBe(false);
    expect(await rows.anotherIsUp('desktop-a', 60_000)).toBe(true);
    await rows.record(sighting('desktop-b', 'down'));
    expect(await rows.anotherIsUp('desktop-a', 60_000)).toBe(false);
  });

  it('keeps screenshots in the database by their content, once, and drops them with their task', async () => {
    const task = await tasks.create({
      description: 'y',
      type: 'IMMEDIATE',
      priority: 'MEDIUM',
      createdBy: 'USER',
    });
    const store = new ScreenshotStore(new DatabaseScreenshotFiles(database.db));
    // Another agent's store on the same database serves what this one stored.
    const other = new ScreenshotStore(new DatabaseScreenshotFiles(database.db));
    const bytes = randomBytes(2048);
    const first = await store.saveBytes(task.id, bytes, 'image/png');
    const again = await other.saveBytes(task.id, bytes, 'image/png');
    expect(again).toEqual(first);
    expect(first.source.id).toMatch(/^[0-9a-f]{64}\.png$/);
    expect(Buffer.compare((await other.read(task.id, first.source.id)) as Buffer, bytes)).toBe(0);
    const counted = await database.db
      .select({ id: screenshots.id })
      .from(screenshots)
      .where(eq(screenshots.taskId, task.id));
    expect(counted).toHaveLength(1);
    expect(await other.read(task.id, `${'0'.repeat(64)}.png`)).toBeUndefined();
    await tasks.delete(task.id);
    expect(await other.read(task.id, first.source.id)).toBeUndefined();
    await expect(store.saveBytes(task.id, bytes, 'image/png')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
