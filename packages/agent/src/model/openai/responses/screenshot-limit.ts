import type { ScreenshotLimit } from '../../screen-scaling.ts';

/**
 * The picture OpenAI's computer models get. Screenshots go with `detail: "original"`, which the guide
 * (https://developers.openai.com/api/docs/guides/tools-computer-use, "Send the updated screenshot")
 * prefers for computer use: it "preserves the full screenshot resolution, up to 10.24M pixels"; "GPT-5.6
 * models do not resize `original` image inputs". So nothing is resized on OpenAI's side and the model
 * points in the pixels it was sent. The cost grows with the pixels, and the guide goes on: "If
 * `detail: "original"` uses too many tokens, you can downscale the image ... When downscaling, we observe
 * strong performance with 1440x900 and 1600x900 desktop resolutions" (Azure's guide: "A display
 * resolution of 1440x900 or 1600x900 is recommended for optimal click accuracy").
 *
 * Hence: a screen up to the area of 1600x900 (1.44 megapixels) and 1600 pixels wide goes as it is
 * (Bytebot's 1280x960 is 1.23 megapixels); a larger one is scaled down to that area, keeping its shape,
 * and the agent maps the model's points back to the screen.
 */
export const openAIComputerScreenshotLimit: ScreenshotLimit = {
  maxLongEdge: 1600,
  maxPixels: 1600 * 900,
};
