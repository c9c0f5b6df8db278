import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function tokenFilePath(dataDirectory: string): string {
  return join(dataDirectory, 'token');
}

/**
 * The token clients send: BYTEBOT_TOKEN when set, else the file the server generated.
 * Undefined when neither exists, so a client can still talk to a server with authentication off.
 */
export function readToken(options: { token: string | undefined; dataDirectory: string }): string | undefined {
  if (options.token) return options.token;
  try {
    const stored = readFileSync(tokenFilePath(options.dataDirectory), 'utf8').trim();
    return stored || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Servers call this at start: the configured token, the stored one, or a new one written with mode 0600. */
export function ensureToken(options: { token: string | undefined; dataDirectory: string }): string {
  const existing = readToken(options);
  if (existing) return existing;
  const token = randomBytes(32).toString('base64url');
  mkdirSync(options.dataDirectory, { recursive: true, mode: 0o700 });
  const path = tokenFilePath(options.dataDirectory);
  // 'wx' so two servers starting together cannot overwrite each other's token.
  try {
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return ensureToken(options);
    throw error;
  }
  chmodSync(path, 0o600);
  return token;
}
