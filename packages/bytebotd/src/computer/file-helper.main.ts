import { BytebotdError } from '../bytebotd-error.ts';
import type { FileHelperReply, FileHelperRequest } from './file-helper.ts';
import { readHomeFile, writeHomeFile } from './home-file-operations.ts';

/**
 * The file helper: forked by a root bytebotd with the desktop user's uid and gid, it does read_file and
 * write_file with that user's credentials, so the kernel refuses whatever the user may not touch. It
 * answers over the IPC channel and ends when bytebotd closes it or goes away.
 */
async function answer(message: FileHelperRequest): Promise<FileHelperReply> {
  try {
    if (message.operation === 'read') {
      const file = await readHomeFile(message.request);
      return { id: message.id, ok: true, path: file.path, size: file.data.length, data: file.data };
    }
    const { data, ...request } = message.request;
    const written = await writeHomeFile({
      ...request,
      data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    });
    return { id: message.id, ok: true, path: written.path, size: written.size };
  } catch (error) {
    if (error instanceof BytebotdError) {
      return {
        id: message.id,
        ok: false,
        error: { code: error.code, message: error.message, ...(error.path ? { path: [...error.path] } : {}) },
      };
    }
    return { id: message.id, ok: false, unexpected: (error as Error).stack ?? String(error) };
  }
}

process.on('message', (message: FileHelperRequest) => {
  void answer(message).then((reply) => process.send?.(reply));
});
process.on('disconnect', () => process.exit(0));
