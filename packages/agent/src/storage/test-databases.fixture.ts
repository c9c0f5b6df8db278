import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AgentDatabase, openDatabase } from './database.ts';

/** The PostgreSQL the tests create their throwaway databases in (trust authentication, no password). */
export const postgresAdminUrl =
  process.env.BYTEBOT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export const drivers = ['pglite', 'postgres'] as const;
export type Driver = (typeof drivers)[number];

/** A fresh, empty place for one test file's data: a temporary folder, or a database of its own. */
export interface TestDatabasePlace {
  driver: Driver;
  /** Opens the place; for PostgreSQL this may be called again while the first is open, like a second agent. */
  open(): Promise<AgentDatabase>;
  /** Closes what `open` returned and removes the place. */
  dispose(): Promise<void>;
}

export async function createTestDatabasePlace(driver: Driver): Promise<TestDatabasePlace> {
  const opened: AgentDatabase[] = [];
  const track = async (database: Promise<AgentDatabase>) => {
    const ready = await database;
    const close = ready.close;
    // Closing twice (a test closing, then dispose) must not fail the run.
    let closing: Promise<void> | undefined;
    ready.close = () => {
      closing ??= close();
      return closing;
    };
    opened.push(ready);
    return ready;
  };
  const closeAll = () => Promise.all(opened.splice(0).map((database) => database.close()));
  if (driver === 'pglite') {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'bytebot-storage-test-'));
    return {
      driver,
      open: () => track(openDatabase({ dataDirectory })),
      dispose: async () => {
        await closeAll();
        await rm(dataDirectory, { recursive: true, force: true });
      },
    };
  }
  const name = `bytebot_storage_test_${randomBytes(6).toString('hex')}`;
  await administer(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    driver,
    open: () => track(openDatabase({ databaseUrl: url.toString(), dataDirectory: '/nonexistent' })),
    dispose: async () => {
      await closeAll();
      await administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function administer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
