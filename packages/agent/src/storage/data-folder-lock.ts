import { resolve } from 'node:path';
import { ConfigurationError, tryLockFile } from '@bytebot/config';

/**
 * PGlite itself does not lock its folder: a second PGlite on the same folder opens without a word, and
 * the two then overwrite each other's pages. This lock (config's pid lock file, beside the folder) turns
 * that into an error at open. Takes the folder for this process, or fails naming who holds it; the
 * returned function gives it back.
 */
export async function lockDataFolder(folder: string): Promise<() => Promise<void>> {
  const resolved = resolve(folder);
  // 0600 like everything in the data folder: only this account's processes need to read who holds it.
  const attempt = tryLockFile(`${resolved}.lock`, { mode: 0o600 });
  if (attempt.held) {
    const { held } = attempt;
    return async () => held.release();
  }
  if (attempt.holder === 'this process') {
    throw new ConfigurationError(
      'BYTEBOT_DATA_DIR',
      `the embedded database in ${resolved} is already open in this process; share one AgentDatabase or close it first`,
    );
  }
  const holder = attempt.holder ? `pid ${attempt.holder.pid}` : 'one that is taking it this instant';
  throw new ConfigurationError(
    'BYTEBOT_DATA_DIR',
    `the embedded database in ${resolved} is in use by another process (${holder}); stop it, or give this one another BYTEBOT_DATA_DIR or a DATABASE_URL`,
  );
}
