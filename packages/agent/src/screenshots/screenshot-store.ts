import { createHash } from 'node:crypto';
import type {
  ContentBlock,
  ImageBlock,
  StoredContentBlock,
  StoredImageBlock,
  TextBlock,
} from '@bytebot/protocol';
import { FolderScreenshotFiles, type ScreenshotFiles, taskIdPattern } from './screenshot-files.ts';

const extensions = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' } as const;
const fileIdPattern = /^[0-9a-f]{64}\.(png|jpeg|webp)$/;

/** What the model gets in place of a screenshot whose file is gone. */
export const lostScreenshot: TextBlock = { type: 'text', text: '[a screenshot that is no longer stored]' };

/**
 * A task's screenshots, each named by the SHA-256 of its bytes (the same screen twice is stored once), kept
 * apart from the messages, which hold only the reference: a task of 100 steps would otherwise carry some
 * 50 MB of base64 in its messages. Where the bytes go is the `ScreenshotFiles` given: a folder of the data
 * directory (a path), or the shared database.
 */
export class ScreenshotStore {
  private readonly files: ScreenshotFiles;

  constructor(files: string | ScreenshotFiles) {
    this.files = typeof files === 'string' ? new FolderScreenshotFiles(files) : files;
  }

  async save(taskId: string, image: ImageBlock): Promise<StoredImageBlock> {
    return this.saveBytes(taskId, Buffer.from(image.source.data, 'base64'), image.source.media_type);
  }

  async saveBytes(
    taskId: string,
    bytes: Uint8Array,
    mediaType: keyof typeof extensions,
  ): Promise<StoredImageBlock> {
    if (!taskIdPattern.test(taskId)) throw new Error(`not a task id: ${taskId}`);
    const id = `${createHash('sha256').update(bytes).digest('hex')}.${extensions[mediaType]}`;
    await this.files.write(taskId, id, mediaType, bytes);
    return { type: 'image', source: { type: 'file', media_type: mediaType, id } };
  }

  /** The stored bytes, or undefined for a name that is not one of this task's screenshots. */
  async read(taskId: string, id: string): Promise<Buffer | undefined> {
    if (!taskIdPattern.test(taskId) || !fileIdPattern.test(id)) return undefined;
    return this.files.read(taskId, id);
  }

  async removeTask(taskId: string): Promise<void> {
    if (!taskIdPattern.test(taskId)) return;
    await this.files.removeTask(taskId);
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
