import { join } from 'node:path';
import { ensureSecretFile } from '@bytebot/config';

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
  const { value, generated } = ensureSecretFile(file, 12);
  return { password: value, generated, file };
}
