import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A secret kept in a file: undefined when the file is missing or empty. */
export function readSecretFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The secret in the file, or a new random one written there with mode 0600 in a folder of mode 0700.
 * `generated` says this call made it (so it can be shown once). The file is created with 'wx', so two
 * processes starting together cannot overwrite each other's: the loser reads the winner's.
 */
export function ensureSecretFile(
  path: string,
  randomByteCount: number,
): { value: string; generated: boolean } {
  const existing = readSecretFile(path);
  if (existing) return { value: existing, generated: false };
  const value = randomBytes(randomByteCount).toString('base64url');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return ensureSecretFile(path, randomByteCount);
    throw error;
  }
  chmodSync(path, 0o600);
  return { value, generated: true };
}
