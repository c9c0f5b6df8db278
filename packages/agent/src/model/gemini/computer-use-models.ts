import { Environment } from '@google/genai';
import type { ScreenshotLimit } from '../screen-scaling.ts';

/**
 * Which computer tool a Gemini model gets: Gemini's own computer use tool, with the predefined functions
 * of its generation, or our computer actions as function tools.
 */
export type GeminiComputerTool =
  | {
      kind: 'computer-use';
      /** The predefined functions the model speaks: Gemini 3.5's (`click`, `type`, ...) or the legacy set (`click_at`, ...). */
      actions: 'current' | 'legacy';
      environment: Environment;
      excludedPredefinedFunctions: string[];
    }
  | { kind: 'function-tools' };

/**
 * The browser-only functions of the legacy set. Legacy models take only the browser environment
 * ("Gemini 3.5 Flash or later and mobile or desktop use cases",
 * https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/computer-use), so on our desktop
 * they run in it with these excluded, as Google's own example for Gemini 3 Flash outside a browser does
 * (same page, "Gemini 3 Flash and mobile use"). There is no browser to navigate: Firefox is opened with
 * our open_application tool like any other program. The desktop environment of Gemini 3.5 has none of
 * them to begin with.
 */
export const legacyBrowserFunctions = [
  'open_web_browser',
  'search',
  'navigate',
  'go_back',
  'go_forward',
] as const;

const desktop: GeminiComputerTool = {
  kind: 'computer-use',
  actions: 'current',
  environment: Environment.ENVIRONMENT_DESKTOP,
  excludedPredefinedFunctions: [],
};

const legacyBrowser: GeminiComputerTool = {
  kind: 'computer-use',
  actions: 'legacy',
  environment: Environment.ENVIRONMENT_BROWSER,
  excludedPredefinedFunctions: [...legacyBrowserFunctions],
};

const functionTools: GeminiComputerTool = { kind: 'function-tools' };

/** `gemini-3.5-flash` → [3, 5]; `gemini-3-flash-preview` → [3, 0]; a name without a version → undefined. */
function version(model: string): [number, number] | undefined {
  const match = /^gemini-(\d+)(?:\.(\d+))?(?:-|$)/.exec(model);
  if (!match?.[1]) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0)];
}

function atLeast(model: string, major: number, minor: number): boolean {
  const [modelMajor, modelMinor] = version(model) ?? [0, 0];
  return modelMajor > major || (modelMajor === major && modelMinor >= minor);
}

/**
 * The one table of which Gemini model takes which computer tool, first match wins. Sources:
 * - the legacy set: "For legacy models (`gemini-2.5-computer-use-preview-10-2025`)"
 *   (https://ai.google.dev/gemini-api/docs/computer-use, "Legacy Supported UI actions"); the Gemini 3 Flash
 *   table of https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/computer-use; and
 *   `LEGACY_COMPUTER_USE_MODELS` of Google's reference implementation
 *   (https://github.com/google-gemini/computer-use-preview, agent.py), which adds gemini-3.1-pro-preview.
 * - "Gemini 3.5 Flash (`gemini-3.5-flash`): The recommended model for computer use", and desktop for
 *   "Gemini 3.5 Flash or later" (both pages above).
 * - Older models (2.5 Pro and Flash, 2.0, 1.5) have no computer use tool: our function tools.
 * - A Gemini we do not know yet (`gemini-4-...`, `gemini-flash-latest`) is taken to be a later one, with
 *   the current tool; set it on function tools by listing it here.
 */
const table: ReadonlyArray<{ matches: (model: string) => boolean; tool: GeminiComputerTool }> = [
  { matches: (model) => model.startsWith('gemini-2.5-computer-use-preview'), tool: legacyBrowser },
  {
    matches: (model) => ['gemini-3-flash-preview', 'gemini-3.1-pro-preview'].includes(model),
    tool: legacyBrowser,
  },
  { matches: (model) => atLeast(model, 3, 5), tool: desktop },
  { matches: (model) => version(model) !== undefined, tool: functionTools },
  { matches: (model) => model.startsWith('gemini-'), tool: desktop },
];

export function geminiComputerTool(model: string): GeminiComputerTool {
  const name = model.replace(/^models\//, '');
  return table.find((row) => row.matches(name))?.tool ?? functionTools;
}

/**
 * The screen Google's computer use examples run on (1440x900: `SCREEN_WIDTH = 1440`,
 * `SCREEN_HEIGHT = 900` in https://ai.google.dev/gemini-api/docs/computer-use, and the reference
 * implementation's `PLAYWRIGHT_SCREEN_SIZE`). The model points on a 1000x1000 grid whatever the size, so
 * a larger picture buys no precision the grid can express, only tokens: larger screens are scaled to
 * that many pixels. Our default 1280x960 goes as it is.
 */
export const computerUseScreenshotLimit: ScreenshotLimit = { maxLongEdge: 1440, maxPixels: 1440 * 900 };
