/** Limits shared by the server (enforced) and clients (documented); one place to change them. */
export const limits = {
  maxCoordinate: 32767,
  maxPathPoints: 1000,
  maxClickCount: 10,
  maxScrollCount: 50,
  maxKeysPerAction: 16,
  maxKeyDelayMs: 1000,
  maxTextLength: 20_000,
  maxPasteLength: 1_000_000,
  maxWaitMs: 60_000,
  /** `screenshotAfter`: the longest wait for the screen to become still, and the defaults. */
  maxSettleWaitMs: 10_000,
  defaultSettleQuietMs: 100,
  defaultSettleWaitMs: 2_000,
  /** `zoom`: the largest enlargement. */
  maxZoomScale: 4,
  maxPathLength: 4096,
  /** Largest file `write_file` accepts and `read_file` returns, in bytes before base64. */
  maxFileBytes: 32 * 1024 * 1024,
  /** Request bodies: the largest file in base64 plus room for the rest of the JSON. */
  maxBodyBytes: Math.ceil((32 * 1024 * 1024 * 4) / 3) + 64 * 1024,
} as const;
