import type {
  ContentBlock,
  ImageBlock,
  MessageRole,
  StoredContentBlock,
  StoredImageBlock,
  TextBlock,
} from '@bytebot/protocol';
import sharp from 'sharp';
import {
  describeEncoding,
  type ImageEncoding,
  type ScreenshotEncoding,
} from '../model/screenshot-encoding.ts';
import { lostScreenshot, type ScreenshotStore } from './screenshot-store.ts';

type MediaType = ImageBlock['source']['media_type'];

const mediaTypes = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

export interface EncodedScreenshot {
  data: Buffer;
  mediaType: MediaType;
  /** The very pixels stored: PNG, or WebP's lossless mode. */
  lossless: boolean;
}

/** What is known of a screenshot beyond its bytes. */
export interface ScreenshotFacts {
  /**
   * It has the screen's own pixels (the model's picture is the screen's size): few colours, sharp
   * glyphs, which WebP's lossless mode packs smaller than its lossy one. A scaled screenshot's
   * resampled edges it does not: there it takes longer for a larger file.
   */
  atScreenPixels?: boolean;
}

/**
 * One screenshot in a model's encoding, from the stored lossless PNG: the smallest of the stored PNG, the
 * lossy copy and, for WebP at the screen's own pixels, a lossless WebP. PNG means the stored bytes as
 * they are. Measured at 1280x960 (tests/screenshot-legibility.test.ts, bench/agent-loop.bench.ts):
 * lossless WebP makes a terminal 61 KB against 266 KB lossy at q80, and Thunar's list 50 KB against 101
 * KB, with the very pixels of the PNG; lossy wins on a plain desktop (16 KB against 46 KB) and on a page
 * of small print. Both are made side by side (effort 0, the fastest: the higher efforts take 2 to 8
 * times as long for 5 to 15 % fewer bytes). A dense screen can even be smaller as PNG than as JPEG. An
 * image stored lossy already is not encoded again.
 *
 * `known` is a WebP copy of the same screenshot made before at another quality: its lossless copy is
 * taken as it is, and a lossy one says the lossless copy was larger, so none is made again.
 */
export async function encodeScreenshot(
  bytes: Buffer,
  mediaType: MediaType,
  encoding: ImageEncoding,
  facts: ScreenshotFacts = {},
  known?: EncodedScreenshot,
): Promise<EncodedScreenshot> {
  const stored = { data: bytes, mediaType, lossless: mediaType === 'image/png' };
  if (encoding.format === 'png' || mediaType !== 'image/png') return stored;
  const { data: pixels, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const image = () =>
    sharp(pixels, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const copies: Array<Promise<{ data: Buffer; lossless: boolean }>> = [];
  if (encoding.format === 'jpeg') {
    copies.push(
      image()
        .jpeg({ quality: encoding.quality })
        .toBuffer()
        .then((data) => ({ data, lossless: false })),
    );
  } else {
    const knownWebp = known?.mediaType === 'image/webp' ? known : undefined;
    if (knownWebp?.lossless) copies.push(Promise.resolve(knownWebp));
    else if (facts.atScreenPixels && !knownWebp)
      copies.push(
        image()
          .webp({ lossless: true, effort: 0, quality: 100 })
          .toBuffer()
          .then((data) => ({ data, lossless: true })),
      );
    copies.push(
      image()
        .webp({ quality: encoding.quality, effort: 0 })
        .toBuffer()
        .then((data) => ({ data, lossless: false })),
    );
  }
  let smallest: EncodedScreenshot = stored;
  for (const copy of await Promise.all(copies)) {
    if (copy.data.length < smallest.data.length)
      smallest = { ...copy, mediaType: mediaTypes[encoding.format] };
  }
  return smallest;
}

interface Message<Content> {
  role: MessageRole;
  content: Content[];
}

/**
 * The screenshots of a conversation as a model gets them: the images in tool results (what the desktop
 * showed after an action), the newest in the provider's `newest` encoding and the ones before it in its
 * `older` one; images a person attached go as stored. A screenshot is encoded once per encoding: stored
 * files are named by the hash of their bytes, so the copies are kept by name (the newest of a step is
 * the second newest of the next, and each task sends its few latest), in memory only, as they can always
 * be made again from the stored file.
 */
export class ModelScreenshots {
  private readonly copies = new Map<string, Promise<EncodedScreenshot>>();

  constructor(
    private readonly store: ScreenshotStore,
    /** Copies kept; a task needs BYTEBOT_KEEP_SCREENSHOTS of them at a time, plus the one it adds. */
    private readonly capacity = 64,
  ) {}

  async inline(
    taskId: string,
    messages: Array<Message<StoredContentBlock>>,
    encoding: ScreenshotEncoding,
    facts: ScreenshotFacts = {},
  ): Promise<Array<Message<ContentBlock>>> {
    const screenshots = messages
      .flatMap((message) => message.content)
      .flatMap((block) => (block.type === 'tool_result' ? block.content : []))
      .filter((part) => part.type === 'image').length;
    let seen = 0;
    let newest: StoredImageBlock | ImageBlock | undefined;
    // Each screenshot's encoding is chosen in order, before anything is awaited.
    const next = (image: StoredImageBlock | ImageBlock) => {
      seen += 1;
      if (seen < screenshots) return encoding.older;
      newest = image;
      return encoding.newest;
    };
    const inlined = await Promise.all(
      messages.map(async (message) => ({
        role: message.role,
        content: await Promise.all(
          message.content.map(async (block): Promise<ContentBlock> => {
            if (block.type === 'image')
              return (await this.store.loadImages(taskId, [block]))[0] as ContentBlock;
            if (block.type !== 'tool_result') return block;
            const parts = block.content.map((part) => {
              if (part.type !== 'image') return part;
              const chosen = next(part);
              return this.screenshot(
                taskId,
                part,
                chosen,
                facts,
                chosen === encoding.older ? encoding.newest : undefined,
              );
            });
            return { ...block, content: await Promise.all(parts) };
          }),
        ),
      })),
    );
    // The newest screenshot is an older one in the next request: its copy for then is made while the
    // model thinks, so no step waits for it.
    const later = newest?.source.type === 'file' ? newest : undefined;
    if (later && describeEncoding(encoding.older) !== describeEncoding(encoding.newest))
      void this.screenshot(taskId, later, encoding.older, facts, encoding.newest);
    return inlined;
  }

  /** Resolves once every copy being made is done (the copies for the next request among them). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.copies.values()]);
  }

  private key(id: string, encoding: ImageEncoding, facts: ScreenshotFacts): string {
    return `${id} ${describeEncoding(encoding)}${facts.atScreenPixels ? ' at screen pixels' : ''}`;
  }

  /** `sibling`: the encoding whose copy of the same screenshot, if made already, helps (see encodeScreenshot). */
  private async screenshot(
    taskId: string,
    image: ImageBlock | StoredImageBlock,
    encoding: ImageEncoding,
    facts: ScreenshotFacts,
    sibling?: ImageEncoding,
  ): Promise<ImageBlock | TextBlock> {
    const source = image.source;
    let copy: EncodedScreenshot | undefined;
    if (source.type === 'base64') {
      copy = await encodeScreenshot(Buffer.from(source.data, 'base64'), source.media_type, encoding, facts);
    } else {
      const key = this.key(source.id, encoding, facts);
      let made = this.copies.get(key);
      if (made) {
        // Most recently used last: the first entry is the one to drop.
        this.copies.delete(key);
      } else {
        const known = sibling && this.copies.get(this.key(source.id, sibling, facts));
        made = this.make(taskId, source.id, source.media_type, encoding, facts, known);
        made.catch(() => this.copies.delete(key));
      }
      this.copies.set(key, made);
      for (const oldest of this.copies.keys()) {
        if (this.copies.size <= this.capacity) break;
        this.copies.delete(oldest);
      }
      copy = await made.catch(() => undefined);
    }
    if (!copy) return lostScreenshot;
    return {
      type: 'image',
      source: { type: 'base64', media_type: copy.mediaType, data: copy.data.toString('base64') },
    };
  }

  private async make(
    taskId: string,
    id: string,
    mediaType: MediaType,
    encoding: ImageEncoding,
    facts: ScreenshotFacts,
    known?: Promise<EncodedScreenshot>,
  ): Promise<EncodedScreenshot> {
    const bytes = await this.store.read(taskId, id);
    if (!bytes) throw new Error(`screenshot ${id} is no longer stored`);
    const sibling = await known?.catch(() => undefined);
    // A file that does not decode goes as it is: the provider says what is wrong with it.
    return encodeScreenshot(bytes, mediaType, encoding, facts, sibling).catch(() => ({
      data: bytes,
      mediaType,
      lossless: false,
    }));
  }
}
