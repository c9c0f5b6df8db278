import { join } from 'node:path';
import { ensureSecretFile, readSecretFile } from './secret-file.ts';

export function tokenFilePath(dataDirectory: string): string {
  return join(dataDirectory, 'token');
}

/**
 * The token clients send: BYTEBOT_TOKEN when set, else the file the server generated.
 * Undefined when neither exists, so a client can still talk to a server with authentication off.
 */
export function readToken(options: { token: string | undefined; dataDirectory: string }): string | undefined {
  return options.token || readSecretFile(tokenFilePath(options.dataDirectory));
}

/** Servers call this at start: the configured token, the stored one, or a new one written with mode 0600. */
export function ensureToken(options: { token: string | undefined; dataDirectory: string }): string {
  return options.token || ensureSecretFile(tokenFilePath(options.dataDirectory), 32).value;
}
