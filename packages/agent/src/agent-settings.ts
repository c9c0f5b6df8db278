import { ConfigurationError } from '@bytebot/config';
import type { TaskRunnerOptions } from './loop/task-runner.ts';

type Source = Record<string, string | undefined>;

function readWholeNumber(source: Source, variable: string, fallback: number, minimum: number): number {
  const text = source[variable]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new ConfigurationError(variable, `expected a whole number of at least ${minimum}, got "${text}"`);
  }
  return value;
}

/** The model loop's settings, each overridable through the environment (README.md lists them). */
export function readLoopSettings(source: Source = process.env): TaskRunnerOptions {
  return {
    // Current models think before they answer, and the thinking counts against this cap.
    maxOutputTokens: readWholeNumber(source, 'BYTEBOT_MAX_OUTPUT_TOKENS', 16_384, 1024),
    keepScreenshots: readWholeNumber(source, 'BYTEBOT_KEEP_SCREENSHOTS', 3, 1),
    summarizeAboveTokens: readWholeNumber(source, 'BYTEBOT_SUMMARIZE_ABOVE_TOKENS', 120_000, 1_000),
    pausePollMs: 250,
    modelRetryMs: readWholeNumber(source, 'BYTEBOT_MODEL_RETRY_MS', 5000, 1),
    modelRetryMaxMs: readWholeNumber(source, 'BYTEBOT_MODEL_RETRY_MAX_MS', 60_000, 1),
  };
}
