import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, makeDataDirectoryPrivate } from '@bytebot/config';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.ts';
import * as schema from './schema.ts';

/** The drizzle database the repositories take: the same type whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface AgentDatabase {
  db: Database;
  driver: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL; undefined means the embedded PGlite in `${dataDirectory}/data`. */
  databaseUrl?: string | undefined;
  dataDirectory: string;
  /** Where a connection that breaks while idle in the pool is reported; standard error if not given. */
  log?: { warn(line: string): void };
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

const connectTimeoutMs = 10_000;
const migrationLockTimeoutMs = 60_000;

/** Opens the database the environment names and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<AgentDatabase> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.log ?? { warn: (line) => console.warn(line) })
    : openPglite(join(options.dataDirectory, 'data'));
}

async function openPostgres(databaseUrl: string, log: { warn(line: string): void }): Promise<AgentDatabase> {
  const shownUrl = withoutPassword(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  // Without a listener, a pooled connection dropped by the server would crash the process.
  pool.on('error', (error) =>
    log.warn(`PostgreSQL (DATABASE_URL ${shownUrl}): idle connection lost: ${error.message}`),
  );
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new ConfigurationError(
      'DATABASE_URL',
      `cannot connect to PostgreSQL at ${shownUrl}: ${describeConnectionError(error)}`,
    );
  }
  try {
    await migrateWithLock(client);
  } catch (error) {
    client.release();
    await pool.end().catch(() => undefined);
    throw error;
  }
  client.release();
  return {
    db: drizzleNodePostgres({ client: pool, schema }),
    driver: 'postgres',
    close: () => pool.end(),
  };
}

/**
 * drizzle's migrator reads the applied migrations and then applies the rest with no lock between, so two
 * agents starting together against one server would both try to create the tables. A session-level
 * advisory lock on the migrating connection makes the second wait and then find nothing to do.
 */
async function migrateWithLock(client: pg.PoolClient): Promise<void> {
  const lockKey = sql`hashtext('bytebot-agent:migrations')`;
  const connection = drizzleNodePostgres({ client, schema });
  const deadline = Date.now() + migrationLockTimeoutMs;
  for (;;) {
    const result = await connection.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_lock(${lockKey}) as locked`,
    );
    if (result.rows[0]?.locked) break;
    if (Date.now() > deadline) {
      throw new ConfigurationError(
        'DATABASE_URL',
        `another process has held the migration lock for ${migrationLockTimeoutMs / 1000} s; is an agent stuck migrating?`,
      );
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  try {
    await migrateNodePostgres(connection, { migrationsFolder });
  } finally {
    await connection.execute(sql`select pg_advisory_unlock(${lockKey})`);
  }
}

async function openPglite(folder: string): Promise<AgentDatabase> {
  await mkdir(folder, { recursive: true });
  const unlock = await lockDataFolder(folder);
  let client: PGlite | undefined;
  try {
    client = await PGlite.create(folder);
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    // PGlite's file system gives every file it makes mode 0666, whatever the umask: the folder (0700, so
    // nothing in it can be reached by another account) and its files are made private once it is open,
    // and again at close for the files made meanwhile.
    makeDataDirectoryPrivate(folder, { umask: false });
    const opened = client;
    return {
      db,
      driver: 'pglite',
      close: async () => {
        try {
          await opened.close();
          makeDataDirectoryPrivate(folder, { umask: false });
        } finally {
          await unlock();
        }
      },
    };
  } catch (error) {
    await client?.close().catch(() => undefined);
    await unlock();
    throw error;
  }
}

function withoutPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    // An unparsable value may still hold a password: say where it came from, not what it is.
    return '(the value of DATABASE_URL, which is not a valid URL)';
  }
}

function describeConnectionError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node reports a refused connection to both localhost addresses as an AggregateError with no message.
    return error.errors.map((each) => describeConnectionError(each)).join('; ');
  }
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
