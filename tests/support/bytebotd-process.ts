import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BytebotdClient } from '@bytebot/client';
import { readToken } from '@bytebot/config';
import { type ServiceProcess, startServiceProcess } from './service-process.ts';

export interface BytebotdProcess extends ServiceProcess {
  token: string | undefined;
  dataDirectory: string;
  client: BytebotdClient;
}

/** Starts bytebotd as its own process, as a user would, on a free port of the given display. */
export async function startBytebotdProcess(options: {
  display: string;
  xauthority: string;
  vncPort?: number | undefined;
  environment?: Record<string, string>;
}): Promise<BytebotdProcess> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'bytebotd-test-'));
  const service = await startServiceProcess({
    name: 'bytebotd',
    script: 'packages/bytebotd/src/bytebotd.main.ts',
    timeoutMs: 30_000,
    env: {
      ...process.env,
      BYTEBOT_DISPLAY: options.display,
      XAUTHORITY: options.xauthority,
      BYTEBOTD_PORT: '0',
      BYTEBOT_DATA_DIR: dataDirectory,
      BYTEBOT_VNC_PORT: String(options.vncPort ?? 1),
      BYTEBOT_TOKEN: '',
      ...options.environment,
    },
  });
  const token = readToken({ token: options.environment?.BYTEBOT_TOKEN || undefined, dataDirectory });
  return { ...service, token, dataDirectory, client: new BytebotdClient({ baseUrl: service.url, token }) };
}
