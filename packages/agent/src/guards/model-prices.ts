import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@bytebot/config';
import type { Usage } from '@bytebot/protocol';
import { z } from 'zod';

const rate = z.number().min(0).max(10_000);

const rates = {
  input: rate.describe('USD per million input tokens billed at the full rate.'),
  output: rate.describe('USD per million output tokens (thinking included).'),
  cacheRead: rate
    .optional()
    .describe('USD per million input tokens read from the prompt cache; input if left out.'),
  cacheWrite: rate
    .optional()
    .describe('USD per million input tokens written to the prompt cache; input if left out.'),
};

/** One model's prices, in US dollars per million tokens. */
export const modelPriceSchema = z
  .object({
    ...rates,
    longPrompt: z
      .object({ aboveTokens: z.int().positive(), ...rates })
      .strict()
      .optional()
      .describe(
        'Prices for every token of a request whose prompt (input and cache) is longer than aboveTokens.',
      ),
  })
  .strict();
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** The shape of the built-in table and of the file BYTEBOT_MODEL_PRICES names: model name → prices. */
export const modelPriceTableSchema = z.record(z.string().min(1), modelPriceSchema);
export type ModelPriceTable = z.infer<typeof modelPriceTableSchema>;

const sonnet4: ModelPrice = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
const opus45: ModelPrice = { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 };
const opus4: ModelPrice = { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 };
const gpt5: ModelPrice = { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 };

/**
 * List prices in USD per million tokens, from the providers' price pages as of November 2026 (Anthropic's
 * cache writes at the 5-minute rate, the one the agent uses; OpenAI and Gemini charge nothing to write
 * their automatic caches). Prices change: BYTEBOT_MODEL_PRICES overrides or adds models. A model not
 * listed costs nothing, so a local model never stops a task on cost.
 */
export const builtInModelPrices: ModelPriceTable = {
  // Anthropic
  'claude-fable-5-1': { input: 10, output: 50, cacheRead: 0.25, cacheWrite: 12.5 },
  'claude-fable-5': { input: 10, output: 50, cacheRead: 1, cacheWrite: 12.5 },
  'claude-opus-5-5': { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 },
  'claude-opus-5': opus45,
  'claude-sonnet-5-5': { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 },
  'claude-sonnet-5': { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheRead: 0.01,
    cacheWrite: 0.125,
    longPrompt: { aboveTokens: 100_000, input: 0.5, output: 2.5, cacheRead: 0.05, cacheWrite: 0.625 },
  },
  'claude-opus-4-8': opus45,
  'claude-opus-4-7': opus45,
  'claude-opus-4-6': opus45,
  'claude-opus-4-5': opus45,
  'claude-opus-4-1': opus4,
  'claude-opus-4': opus4,
  'claude-sonnet-4-6': sonnet4,
  'claude-sonnet-4-5': sonnet4,
  'claude-sonnet-4': sonnet4,
  'claude-3-7-sonnet': sonnet4,
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  // OpenAI
  'gpt-5': gpt5,
  'gpt-5.1': gpt5,
  'gpt-5.2': { input: 1.75, output: 14, cacheRead: 0.175, cacheWrite: 0 },
  'gpt-5.4': { input: 2.5, output: 15, cacheRead: 0.25, cacheWrite: 0 },
  // Above 272K tokens of prompt the whole request is billed at the higher rate.
  'gpt-5.5': {
    input: 5,
    output: 30,
    cacheRead: 0.5,
    cacheWrite: 0,
    longPrompt: { aboveTokens: 272_000, input: 10, output: 45, cacheRead: 1, cacheWrite: 0 },
  },
  'gpt-5.4-mini': { input: 0.75, output: 4.5, cacheRead: 0.075, cacheWrite: 0 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005, cacheWrite: 0 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0 },
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0 },
  // Google Gemini
  'gemini-2.5-pro': {
    input: 1.25,
    output: 10,
    cacheRead: 0.125,
    cacheWrite: 0,
    longPrompt: { aboveTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25, cacheWrite: 0 },
  },
  'gemini-3.5-flash': { input: 1.5, output: 9, cacheRead: 0.15, cacheWrite: 0 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cacheRead: 0.01, cacheWrite: 0 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0 },
};

// Snapshot suffixes a provider adds to a model's name: -20250929, -2025-08-07, -latest, -001.
const snapshotSuffix = /^-(\d{8}|\d{4}-\d{2}-\d{2}|latest|\d{3})$/;

/**
 * The price table: the built-in prices with BYTEBOT_MODEL_PRICES's on top. A model is found by its exact
 * name, or by the name without a snapshot suffix or a router's prefix (`anthropic/claude-sonnet-5-5`).
 */
export class ModelPrices {
  private readonly table: Map<string, ModelPrice>;

  constructor(overrides: ModelPriceTable = {}) {
    this.table = new Map(
      Object.entries({ ...builtInModelPrices, ...overrides }).map(([name, price]) => [
        name.toLowerCase(),
        price,
      ]),
    );
  }

  /** The model's prices, or undefined for a model the table does not know (it costs nothing). */
  priceOf(model: string): ModelPrice | undefined {
    const name = model.trim().toLowerCase();
    const bare = name.slice(name.lastIndexOf('/') + 1);
    for (const candidate of [name, bare]) {
      const exact = this.table.get(candidate);
      if (exact) return exact;
    }
    let best: { length: number; price: ModelPrice } | undefined;
    for (const [key, price] of this.table) {
      if (
        bare.startsWith(key) &&
        snapshotSuffix.test(bare.slice(key.length)) &&
        key.length > (best?.length ?? 0)
      ) {
        best = { length: key.length, price };
      }
    }
    return best?.price;
  }

  /** What one model response cost, in US dollars. */
  costOf(model: string, usage: Usage): number {
    const price = this.priceOf(model);
    if (!price) return 0;
    const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    const rates = price.longPrompt && prompt > price.longPrompt.aboveTokens ? price.longPrompt : price;
    const dollars =
      usage.inputTokens * rates.input +
      usage.outputTokens * rates.output +
      usage.cacheReadTokens * (rates.cacheRead ?? rates.input) +
      usage.cacheWriteTokens * (rates.cacheWrite ?? rates.input);
    return dollars / 1_000_000;
  }
}

/** Reads the JSON file BYTEBOT_MODEL_PRICES names (the built-in table's shape); errors name the variable. */
export function readModelPriceFile(path: string, variable = 'BYTEBOT_MODEL_PRICES'): ModelPriceTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(variable, `cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(variable, `${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = modelPriceTableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(
      variable,
      `${path}: ${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'} ` +
        '(expected { "model-name": { "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75 } }, USD per million tokens)',
    );
  }
  return parsed.data;
}
