import { ConcurrencyLimit } from './concurrency-limit.ts';
import type { EncodedImage, EncodeOptions, RawFrame, RawScreen } from './raw-input.ts';

/**
 * Grabs and encodes at once, at most; the rest wait. Each holds a frame (4.9 MB at 1280x960), its RGB copy
 * and the encoder's buffers: 200 callers at once each doing their own took bytebotd from 250 MB to 1.9 GB
 * and kept it there (glibc does not give the fragments back). Two keep both cores of a small machine busy.
 */
export const screenWorkConcurrency = 2;

function encodeKey(options: EncodeOptions): string {
  return [options.format, options.quality, options.width, options.height, options.kernel].join('|');
}

/**
 * The screen shared by concurrent callers. A whole-screen grab asked for while another waits for its turn
 * joins that one: both get the same frame, grabbed after both asked (a grab already under way is never
 * joined, so nobody gets a frame from before their call). The encoding of one frame with the same options
 * is done once, whoever asks. Grabs of a region (zoom) are the caller's own, but wait their turn too.
 */
export function shareScreen(raw: RawScreen, concurrency = screenWorkConcurrency): RawScreen {
  const limit = new ConcurrencyLimit(concurrency);
  let queued: { started: boolean; frame: Promise<RawFrame> } | undefined;
  const encodings = new WeakMap<RawFrame, Map<string, Promise<EncodedImage>>>();
  return {
    size: () => raw.size(),
    grab(region) {
      if (region) return limit.run(() => raw.grab(region));
      if (queued && !queued.started) return queued.frame;
      const job = { started: false } as { started: boolean; frame: Promise<RawFrame> };
      job.frame = limit.run(() => {
        job.started = true;
        return raw.grab();
      });
      queued = job;
      return job.frame;
    },
    encode(frame, options) {
      let byOptions = encodings.get(frame);
      if (!byOptions) {
        byOptions = new Map();
        encodings.set(frame, byOptions);
      }
      const key = encodeKey(options);
      const existing = byOptions.get(key);
      if (existing) return existing;
      const encoded = limit.run(() => raw.encode(frame, options));
      byOptions.set(key, encoded);
      // A failed encoding is not kept for the next caller.
      const forget = byOptions;
      encoded.catch(() => forget.delete(key));
      return encoded;
    },
  };
}
