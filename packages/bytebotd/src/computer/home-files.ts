import { basename } from 'node:path';
import { limits } from '@bytebot/protocol';
import { BytebotdError } from '../bytebotd-error.ts';
import { FileHelper } from './file-helper.ts';
import { type HomeFileRequest, readHomeFile, writeHomeFile } from './home-file-operations.ts';
import { mediaTypeForFileName } from './media-types.ts';

export interface FileOwner {
  home: string;
  uid: number;
  gid: number;
}

/**
 * Reads and writes files inside the desktop user's home and nowhere else: no `..` out of it, no symlink
 * that leads out of it, nothing but regular files. A root bytebotd does them through a helper running as
 * the desktop user (see file-helper.ts), so root's rights are never what the kernel checks; otherwise
 * bytebotd already is that user (a person's own desktop) and does them itself.
 */
export class HomeFiles {
  private readonly helper: FileHelper | undefined;

  constructor(private readonly owner: FileOwner) {
    this.helper = process.getuid?.() === 0 && owner.uid !== 0 ? new FileHelper(owner) : undefined;
  }

  async read(written: string): Promise<{ path: string; name: string; data: Buffer; mediaType: string }> {
    const request = this.request(written);
    let path: string;
    let data: Buffer;
    if (this.helper) {
      const reply = await this.helper.call({ operation: 'read', request });
      if (!reply.data) throw new Error('the file helper answered a read without data');
      path = reply.path;
      data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
    } else {
      ({ path, data } = await readHomeFile(request));
    }
    return { path, name: basename(path), data, mediaType: mediaTypeForFileName(path) };
  }

  async write(written: string, data: Buffer): Promise<{ path: string; size: number }> {
    // Checked here too, so an oversized body is not copied to the helper first.
    if (data.length > limits.maxFileBytes) {
      throw new BytebotdError(
        'PAYLOAD_TOO_LARGE',
        `data: ${data.length} bytes, the limit is ${limits.maxFileBytes}`,
        ['data'],
      );
    }
    const request = { ...this.request(written), data };
    if (!this.helper) return writeHomeFile(request);
    const reply = await this.helper.call({ operation: 'write', request });
    return { path: reply.path, size: reply.size };
  }

  async close(): Promise<void> {
    await this.helper?.close();
  }

  private request(written: string): HomeFileRequest {
    return { home: this.owner.home, path: written, maxFileBytes: limits.maxFileBytes };
  }
}
