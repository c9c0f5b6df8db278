import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@bytebot/config';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentDatabase, migrationsFolder, openDatabase } from './database.ts';
import { MessageRepository } from './message.repository.ts';
import { TaskRepository } from './task.repository.ts';
import { createTestDatabasePlace, postgresAdminUrl } from './test-databases.fixture.ts';

async function journalEntries(): Promise<number> {
  const journal = JSON.parse(await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

interface AppliedMigration {
  hash: string;
  created_at: string;
}

async function appliedMigrations(database: AgentDatabase): Promise<AppliedMigration[]> {
  // The common database type cannot know either driver's result shape; both put the rows in `rows`.
  const result = (await database.db.execute(
    sql`select hash, created_at from drizzle.__drizzle_migrations order by id`,
  )) as unknown as { rows: AppliedMigration[] };
  return result.rows;
}

describe('the embedded PGlite database', () => {
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = join(await mkdtemp(join(tmpdir(), 'bytebot-database-test-')), 'not', 'yet', 'there');
  });

  afterAll(async () => {
    await rm(join(dataDirectory, '..', '..', '..'), { recursive: true, force: true });
  });

  it('creates its folder, keeps data across close and reopen, and migrates only once', async () => {
    const first = await openDatabase({ dataDirectory });
    expect(first.driver).toBe('pglite');
    expect((await stat(join(dataDirectory, 'data', 'PG_VERSION'))).isFile()).toBe(true);
    const task = await new TaskRepository(first.db).create({
      description: 'survive a restart',
      type: 'IMMEDIATE',
      priority: 'HIGH',
      createdBy: 'USER',
    });
    await new MessageRepository(first.db).append(task.id, 'user', [{ type: 'text', text: 'still here?' }]);
    const migrated = await appliedMigrations(first);
    expect(migrated).toHaveLength(await journalEntries());
    await first.close();

    const second = await openDatabase({ dataDirectory });
    try {
      expect(await new TaskRepository(second.db).get(task.id)).toEqual(task);
      expect(
        (await new MessageRepository(second.db).list(task.id)).map((message) => message.content),
      ).toEqual([[{ type: 'text', text: 'still here?' }]]);
      expect(await appliedMigrations(second)).toEqual(migrated);
    } finally {
      await second.close();
    }
  });

  it('refuses to open a folder that is already open in this process, and opens it again once closed', async () => {
    const first = await openDatabase({ dataDirectory });
    try {
      const second = openDatabase({ dataDirectory });
      await expect(second).rejects.toBeInstanceOf(ConfigurationError);
      await expect(second).rejects.toThrow(/BYTEBOT_DATA_DIR: .*already open in this process/);
      expect((await new TaskRepository(first.db).list({ page: 1, limit: 10 })).total).toBe(1);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDirectory });
    await again.close();
  });

  it('refuses a folder another live process holds, and takes over from one that died', async () => {
    const lockFile = join(dataDirectory, 'data.lock');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      await writeFile(lockFile, JSON.stringify({ pid: holder.pid, hostname: hostname() }));
      await expect(openDatabase({ dataDirectory })).rejects.toThrow(
        new RegExp(`BYTEBOT_DATA_DIR: .*in use by another process \\(pid ${holder.pid}\\)`),
      );
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    // The holder is gone now: its lock is stale.
    const database = await openDatabase({ dataDirectory });
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    await database.close();
    await expect(stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over a lock whose pid now belongs to another process (a pid reused after a crash)', async () => {
    const lockFile = join(dataDirectory, 'data.lock');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      // The lock names a live pid, but with the start time of an earlier process that had it.
      await writeFile(lockFile, JSON.stringify({ pid: other.pid, hostname: hostname(), startedAt: '1' }));
      const database = await openDatabase({ dataDirectory });
      expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
      await database.close();
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
  });
});

describe('PostgreSQL through DATABASE_URL', () => {
  it('lets several agents open a fresh database at once, migrating it exactly once', async () => {
    const place = await createTestDatabasePlace('postgres');
    try {
      const agents = await Promise.all(Array.from({ length: 4 }, () => place.open()));
      const migrated = await appliedMigrations(agents[0] as AgentDatabase);
      expect(migrated).toHaveLength(await journalEntries());
      for (const agent of agents) expect(agent.driver).toBe('postgres');

      await Promise.all(agents.map((agent) => agent.close()));
      const reopened = await place.open();
      expect(await appliedMigrations(reopened)).toEqual(migrated);
    } finally {
      await place.dispose();
    }
  });

  it('names DATABASE_URL, and hides the password, when the server cannot be reached', async () => {
    const attempt = openDatabase({
      databaseUrl: 'postgresql://bytebot:hunter2-secret@127.0.0.1:1/bytebot',
      dataDirectory: '/nonexistent',
    });
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    const error = (await attempt.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(
      /^DATABASE_URL: cannot connect to PostgreSQL at postgresql:\/\/bytebot:\*\*\*@127\.0\.0\.1:1\/bytebot/,
    );
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain('hunter2');
  });

  it('names DATABASE_URL when the database does not exist', async () => {
    const url = new URL(postgresAdminUrl);
    url.pathname = '/bytebot_storage_test_never_created';
    await expect(
      openDatabase({ databaseUrl: url.toString(), dataDirectory: '/nonexistent' }),
    ).rejects.toThrow(
      /^DATABASE_URL: cannot connect .*database "bytebot_storage_test_never_created" does not exist/,
    );
  });
});
