import { ConfigurationError } from '@bytebot/config';
import type { LoopSettings } from './loop-detector.ts';
import { ModelPrices, readModelPriceFile } from './model-prices.ts';
import { builtInLimits, type LimitValues } from './task-limits.ts';

type Source = Record<string, string | undefined>;

export interface GuardSettings {
  /** The limits of a task that names none (or not all). */
  limits: LimitValues;
  loop: LoopSettings;
  prices: ModelPrices;
}

function readNumber(
  source: Source,
  variable: string,
  fallback: number,
  options: { whole: boolean; minimum: number },
): number {
  const text = source[variable]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  const fits = Number.isFinite(value) && (!options.whole || Number.isSafeInteger(value));
  if (!fits || value < options.minimum || value <= 0) {
    const expected = options.whole ? `a whole number of at least ${options.minimum}` : 'a number above 0';
    throw new ConfigurationError(variable, `expected ${expected}, got "${text}"`);
  }
  return value;
}

/** The guard rails' settings, each overridable through the environment (README.md lists them). */
export function readGuardSettings(source: Source = process.env): GuardSettings {
  const whole = (variable: string, fallback: number, minimum = 1) =>
    readNumber(source, variable, fallback, { whole: true, minimum });
  const positive = (variable: string, fallback: number) =>
    readNumber(source, variable, fallback, { whole: false, minimum: 0 });
  const loop: LoopSettings = {
    warnAfter: whole('BYTEBOT_LOOP_WARN_AFTER', 3, 2),
    stopAfter: whole('BYTEBOT_LOOP_STOP_AFTER', 5, 2),
  };
  if (loop.stopAfter <= loop.warnAfter) {
    throw new ConfigurationError(
      'BYTEBOT_LOOP_STOP_AFTER',
      `expected more than BYTEBOT_LOOP_WARN_AFTER (${loop.warnAfter}), got ${loop.stopAfter}`,
    );
  }
  const pricesFile = source.BYTEBOT_MODEL_PRICES?.trim();
  return {
    limits: {
      maxSteps: whole('BYTEBOT_MAX_STEPS', builtInLimits.maxSteps),
      maxTokens: whole('BYTEBOT_MAX_TOKENS', builtInLimits.maxTokens),
      maxCostUsd: positive('BYTEBOT_MAX_COST_USD', builtInLimits.maxCostUsd),
      maxMinutes: positive('BYTEBOT_MAX_MINUTES', builtInLimits.maxMinutes),
    },
    loop,
    prices: new ModelPrices(pricesFile ? readModelPriceFile(pricesFile) : {}),
  };
}
