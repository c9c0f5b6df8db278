import { describe, expect, it } from 'vitest';
import { modelScreenSize } from '../screen-scaling.ts';
import { computerUseScreenshotLimit, geminiComputerTool } from './computer-use-models.ts';

describe('which Gemini model gets which computer tool', () => {
  it('gives Gemini 3.5 Flash and later the desktop environment with nothing excluded', () => {
    for (const model of ['gemini-3.5-flash', 'gemini-3.8-flash', 'gemini-3.5-flash-lite', 'gemini-4-argon']) {
      expect(geminiComputerTool(model), model).toEqual({
        kind: 'computer-use',
        actions: 'current',
        environment: 'ENVIRONMENT_DESKTOP',
        excludedPredefinedFunctions: [],
      });
    }
  });

  it('gives the legacy models the browser environment without its browser-only functions', () => {
    for (const model of [
      'gemini-2.5-computer-use-preview-10-2025',
      'gemini-3-flash-preview',
      'gemini-3.1-pro-preview',
      'models/gemini-3-flash-preview',
    ]) {
      expect(geminiComputerTool(model), model).toEqual({
        kind: 'computer-use',
        actions: 'legacy',
        environment: 'ENVIRONMENT_BROWSER',
        excludedPredefinedFunctions: ['open_web_browser', 'search', 'navigate', 'go_back', 'go_forward'],
      });
    }
  });

  it('keeps function tools for older Gemini models and for names that are not Gemini', () => {
    for (const model of [
      'gemini-2.5-pro',
      'gemini-2.5-flash',
      'gemini-2.0-flash',
      'gemini-1.5-pro',
      'gemma-3',
    ]) {
      expect(geminiComputerTool(model), model).toEqual({ kind: 'function-tools' });
    }
  });

  it('takes a Gemini it does not know to be a later one, with the native tool', () => {
    expect(geminiComputerTool('gemini-flash-latest')).toMatchObject({
      kind: 'computer-use',
      actions: 'current',
    });
    expect(geminiComputerTool('gemini-10-ultra')).toMatchObject({ kind: 'computer-use', actions: 'current' });
  });

  it("sends our 1280x960 screen as it is and scales larger ones to the docs' 1440x900 worth of pixels", () => {
    expect(modelScreenSize(computerUseScreenshotLimit, { width: 1280, height: 960 })).toEqual({
      width: 1280,
      height: 960,
    });
    expect(modelScreenSize(computerUseScreenshotLimit, { width: 1440, height: 900 })).toEqual({
      width: 1440,
      height: 900,
    });
    const full = modelScreenSize(computerUseScreenshotLimit, { width: 1920, height: 1080 });
    expect(full.width).toBe(1440);
    expect(full.width * full.height).toBeLessThanOrEqual(1440 * 900);
  });
});
