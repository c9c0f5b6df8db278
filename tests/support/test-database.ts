import { randomUUID } from 'node:crypto';
import pg from 'pg';

const server = 'postgresql://postgres@127.0.0.1:5432';

/**
 * A PostgreSQL database of its own for one test file: agents recover the unfinished tasks they find in
 * their database at start, so two test files sharing one could take each other's tasks.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bytebot_test_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: `${server}/${name}`,
    async drop() {
      const client = new pg.Client({ connectionString: `${server}/postgres` });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
