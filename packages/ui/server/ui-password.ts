import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The password a person types to use the UI: BYTEBOT_UI_PASSWORD when set, else one generated at the first start
 * into the data directory (mode 0600). `generated` says whether this start made it, so it is printed once.
 */
export function ensureUiPassword(options: { password: string | undefined; dataDirectory: string }): {
  password: string;
  generated: boolean;
  file: string | undefined;
} {
  if (options.password) return { password: options.password, generated: false, file: undefined };
  const file = join(options.dataDirectory, 'ui-password');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) return { password: stored, generated: false, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const password = randomBytes(12).toString('base64url');
  mkdirSync(options.dataDirectory, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another start wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return ensureUiPassword(options);
    throw error;
  }
  chmodSync(file, 0o600);
  return { password, generated: true, file };
}
