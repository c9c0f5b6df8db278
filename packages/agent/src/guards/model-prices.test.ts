import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@bytebot/config';
import { describe, expect, it } from 'vitest';
import { defaultAnthropicModel, defaultGeminiModel, defaultOpenAIModel } from '../model/model-catalog.ts';
import { readGuardSettings } from './guard-settings.ts';
import { builtInModelPrices, ModelPrices, readModelPriceFile } from './model-prices.ts';

const usage = (inputTokens: number, outputTokens = 0, cacheReadTokens = 0, cacheWriteTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
});

function priceFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'model-prices-')), 'prices.json');
  writeFileSync(path, content);
  return path;
}

describe('the model price table', () => {
  const prices = new ModelPrices();

  it('prices the default model of every provider', () => {
    for (const model of [defaultAnthropicModel, defaultOpenAIModel, defaultGeminiModel]) {
      expect(prices.priceOf(model), model).toBeDefined();
      expect(prices.costOf(model, usage(1_000_000))).toBeGreaterThan(0);
    }
  });

  it('adds input, output, cache reads and cache writes at their own rates', () => {
    const sonnet = builtInModelPrices['claude-sonnet-4-5'];
    expect(sonnet).toEqual({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    expect(prices.costOf('claude-sonnet-4-5', usage(1_000_000, 100_000, 2_000_000, 400_000))).toBeCloseTo(
      3 + 1.5 + 0.6 + 1.5,
      10,
    );
    expect(prices.costOf('gpt-5', usage(200_000, 10_000, 1_000_000))).toBeCloseTo(0.25 + 0.1 + 0.125, 10);
  });

  it('finds snapshots, aliases and routed names of a known model, and nothing else', () => {
    const sonnet = prices.priceOf('claude-sonnet-4-5');
    expect(prices.priceOf('claude-sonnet-4-5-20250929')).toBe(sonnet);
    expect(prices.priceOf('Claude-Sonnet-4-5-latest')).toBe(sonnet);
    expect(prices.priceOf('anthropic/claude-sonnet-4-5')).toBe(sonnet);
    expect(prices.priceOf('gpt-5-mini-2025-08-07')).toBe(prices.priceOf('gpt-5-mini'));
    expect(prices.priceOf('gpt-5-mini')).not.toBe(prices.priceOf('gpt-5'));
    expect(prices.priceOf('claude-opus-4-1-20250805')).toBe(prices.priceOf('claude-opus-4-1'));
    // A model the table does not name is not guessed from a sibling: it costs nothing unless configured.
    expect(prices.priceOf('claude-sonnet-9-9')).toBeUndefined();
    expect(prices.priceOf('qwen2.5-vl:7b')).toBeUndefined();
    expect(prices.costOf('qwen2.5-vl:7b', usage(10_000_000, 10_000_000))).toBe(0);
  });

  it('charges the long-prompt rates for every token of a long request', () => {
    const short = prices.costOf('gemini-2.5-pro', usage(200_000, 1_000));
    const long = prices.costOf('gemini-2.5-pro', usage(150_000, 1_000, 60_000));
    expect(short).toBeCloseTo(0.25 + 0.01, 10);
    expect(long).toBeCloseTo(150_000 * 2.5e-6 + 1_000 * 15e-6 + 60_000 * 0.25e-6, 10);
  });

  it('takes prices from BYTEBOT_MODEL_PRICES over the built-in ones, cache rates defaulting to input', () => {
    const path = priceFile(
      JSON.stringify({ 'my-local-model': { input: 1, output: 2 }, 'gpt-5': { input: 10, output: 20 } }),
    );
    const configured = readGuardSettings({ BYTEBOT_MODEL_PRICES: path }).prices;
    expect(configured.costOf('my-local-model', usage(1_000_000, 1_000_000, 1_000_000, 1_000_000))).toBe(5);
    expect(configured.costOf('gpt-5', usage(1_000_000))).toBe(10);
    expect(configured.priceOf('claude-sonnet-4-5')).toEqual(builtInModelPrices['claude-sonnet-4-5']);
  });

  it('refuses a price file it cannot use, naming the variable and the field', () => {
    expect(() => readModelPriceFile(join(tmpdir(), 'no-such-prices.json'))).toThrow(ConfigurationError);
    expect(() => readModelPriceFile(priceFile('{ not json'))).toThrow(/BYTEBOT_MODEL_PRICES: .* is not JSON/);
    expect(() => readModelPriceFile(priceFile('{"m": {"input": -1, "output": 2}}'))).toThrow(
      /BYTEBOT_MODEL_PRICES: .*m\.input/,
    );
    expect(() => readModelPriceFile(priceFile('{"m": {"input": 1, "output": 2, "extra": 3}}'))).toThrow(
      ConfigurationError,
    );
  });
});
