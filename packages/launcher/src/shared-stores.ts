import { type BytebotEnvironment, ConfigurationError } from '@bytebot/config';

/**
 * Several pairs need PostgreSQL and Redis: PGlite locks its data folder to one process, and the in-process
 * queue lives inside one agent, so a second agent could neither open the tasks nor take one from the queue.
 * Refused before anything starts, with the way to get both on this machine.
 */
export function requireSharedStores(
  environment: Pick<BytebotEnvironment, 'databaseUrl' | 'redisUrl'>,
  desktops: number,
): void {
  if (desktops <= 1) return;
  const missing = [
    environment.databaseUrl ? undefined : 'DATABASE_URL',
    environment.redisUrl ? undefined : 'REDIS_URL',
  ].filter((name): name is string => name !== undefined);
  if (missing.length === 0) return;
  throw new ConfigurationError(
    missing.join(' and '),
    [
      `not set, and --desktops ${desktops} needs both DATABASE_URL and REDIS_URL: the embedded database`,
      '(PGlite) and the in-process queue serve one process only, and each pair has an agent of its own.',
      'On Debian or Ubuntu, PostgreSQL and Redis run on this machine with:',
      '  sudo apt-get install -y postgresql redis-server',
      '  sudo service postgresql start && sudo service redis-server start',
      `  sudo -u postgres psql -c "CREATE USER bytebot PASSWORD 'bytebot'" -c "CREATE DATABASE bytebot OWNER bytebot"`,
      'then:',
      `  DATABASE_URL=postgresql://bytebot:bytebot@127.0.0.1:5432/bytebot REDIS_URL=redis://127.0.0.1:6379 npm start -- --desktops ${desktops}`,
    ].join('\n'),
  );
}
