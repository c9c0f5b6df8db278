import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ContentBlock,
  ImageBlock,
  StoredContentBlock,
  StoredImageBlock,
  TextBlock,
} from '@bytebot/protocol';

const extensions = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' } as const;
const taskIdPattern = /^[0-9a-f-]{36}$/;
const fileIdPattern = /^[0-9a-f]{64}\.(png|jpeg|webp)$/;

/** What the model gets in place of a screenshot whose file is gone. */
export const lostScreenshot: TextBlock = { type: 'text', text: '[a screenshot that is no longer stored]' };

/**
 * Screenshots as files of the data directory, one folder per task, each named by the SHA-256 of its bytes
 * (the same screen twice is stored once). The database keeps only the reference: a task of 100 steps
 * would otherwise carry some 50 MB of base64 in its messages.
 */
export class ScreenshotStore {
  constructor(private readonly root: string) {}

  private folder(taskId: string): string {
    if (!taskIdPattern.test(taskId)) throw new Error(`not a task id: ${taskId}`);
    return join(this.root, taskId);
  }

  async save(taskId: string, image: ImageBlock): Promise<StoredImageBlock> {
    return this.saveBytes(taskId, Buffer.from(image.source.data, 'base64'), image.source.media_type);
  }

  async saveBytes(
    taskId: string,
    bytes: Uint8Array,
    mediaType: keyof typeof extensions,
  ): Promise<StoredImageBlock> {
    const id = `${createHash('sha256').update(bytes).digest('hex')}.${extensions[mediaType]}`;
    const folder = this.folder(taskId);
    await mkdir(folder, { recursive: true });
    // Content-addressed: an existing file already holds these bytes.
    await writeFile(join(folder, id), bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return { type: 'image', source: { type: 'file', media_type: mediaType, id } };
  }

  /** The stored bytes, or undefined for a name that is not one of this task's screenshots. */
  async read(taskId: string, id: string): Promise<Buffer | undefined> {
    if (!taskIdPattern.test(taskId) || !fileIdPattern.test(id)) return undefined;
    return readFile(join(this.folder(taskId), id)).catch(() => undefined);
  }

  async removeTask(taskId: string): Promise<void> {
    if (!taskIdPattern.test(taskId)) return;
    await rm(this.folder(taskId), { recursive: true, force: true });
  }

  /** Before storing a message: inline screenshots become files. */
  async storeImages(taskId: string, blocks: ContentBlock[]): Promise<StoredContentBlock[]> {
    return Promise.all(
      blocks.map(async (block): Promise<StoredContentBlock> => {
        if (block.type === 'image') return this.save(taskId, block);
        if (block.type !== 'tool_result') return block;
        const content = await Promise.all(
          block.content.map((part) => (part.type === 'image' ? this.save(taskId, part) : part)),
        );
        return { ...block, content };
      }),
    );
  }

  /** Before sending to a model: stored screenshots inline again (a lost file becomes a short note). */
  async loadImages(taskId: string, blocks: StoredContentBlock[]): Promise<ContentBlock[]> {
    const load = async (image: ImageBlock | StoredImageBlock): Promise<ImageBlock | TextBlock> => {
      if (image.source.type === 'base64') return image as ImageBlock;
      const bytes = await this.read(taskId, image.source.id);
      if (!bytes) return lostScreenshot;
      return {
        type: 'image',
        source: { type: 'base64', media_type: image.source.media_type, data: bytes.toString('base64') },
      };
    };
    return Promise.all(
      blocks.map(async (block): Promise<ContentBlock> => {
        if (block.type === 'image') return load(block);
        if (block.type !== 'tool_result') return block;
        const content = await Promise.all(
          block.content.map((part) => (part.type === 'image' ? load(part) : part)),
        );
        return { ...block, content };
      }),
    );
  }
}
