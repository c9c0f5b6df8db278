/**
 * How screenshots go to a model. The screenshots the agent stores (for people: the UI, trajectories)
 * stay lossless PNG; the model gets a copy encoded anew for each request, which costs it nothing in
 * tokens (image tokens follow the pixel size, not the format) and saves upload time on every step.
 */
export type ImageEncoding =
  /** The stored PNG, sent as it is. */
  { format: 'png' } | { format: 'jpeg' | 'webp'; quality: number };

export interface ScreenshotEncoding {
  /** The newest screenshot of a request: the screen the model acts on. */
  newest: ImageEncoding;
  /** The screenshots before it (BYTEBOT_KEEP_SCREENSHOTS less one): what the model compares with. */
  older: ImageEncoding;
}

/** Every screenshot as stored. */
export const losslessScreenshots: ScreenshotEncoding = {
  newest: { format: 'png' },
  older: { format: 'png' },
};

/**
 * The encodings chosen per provider, on the evidence of tests/screenshot-legibility.test.ts: OCR of real
 * application windows (a terminal, Mousepad, a Firefox page in small print, Thunar, a settings dialog) at
 * each provider's picture size reads at most 1 % fewer characters from these than from the lossless PNG
 * (the test fails otherwise; measured 0.0-0.2 % for WebP q80, 0.0-0.1 % for WebP q50). WebP where the API
 * takes it (Anthropic, OpenAI's Responses API and Gemini each list image/webp): a third smaller than JPEG
 * of the same legibility. JPEG for Chat Completions, which OpenAI-compatible servers speak: their image
 * decoders do not all read WebP (llama.cpp's stb_image does not). Older screenshots are lossier, not
 * smaller: at half the size OCR loses 17-30 % of the characters, and the model would see the screen at
 * two scales.
 */
export const screenshotEncodings = {
  anthropic: { newest: { format: 'webp', quality: 80 }, older: { format: 'webp', quality: 50 } },
  openaiResponses: { newest: { format: 'webp', quality: 80 }, older: { format: 'webp', quality: 50 } },
  openaiCompatible: { newest: { format: 'jpeg', quality: 85 }, older: { format: 'jpeg', quality: 60 } },
  gemini: { newest: { format: 'webp', quality: 80 }, older: { format: 'webp', quality: 50 } },
} satisfies Record<string, ScreenshotEncoding>;

/** A short name for an encoding, e.g. `webp q75`, for logs and the bench. */
export function describeEncoding(encoding: ImageEncoding): string {
  return encoding.format === 'png' ? 'png' : `${encoding.format} q${encoding.quality}`;
}
