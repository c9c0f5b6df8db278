import { describe, expect, it } from 'vitest';
import { modelScreenSize, ScreenScaling, screenshotLimits } from './screen-scaling.ts';

describe('model-sized screenshots', () => {
  it('scales a 1280x960 screen to what each provider takes as it is', () => {
    const claude = modelScreenSize(screenshotLimits.claudeStandard, { width: 1280, height: 960 });
    expect(claude.width * claude.height).toBeLessThanOrEqual(1_150_000);
    expect(Math.max(claude.width, claude.height)).toBeLessThanOrEqual(1568);
    expect(claude).toEqual({ width: 1238, height: 928 });
    expect(modelScreenSize(screenshotLimits.openai, { width: 1280, height: 960 })).toEqual({
      width: 1024,
      height: 768,
    });
    expect(modelScreenSize(screenshotLimits.gemini, { width: 1280, height: 960 })).toEqual({
      width: 1280,
      height: 960,
    });
    expect(modelScreenSize(screenshotLimits.claudeStandard, { width: 1024, height: 768 })).toEqual({
      width: 1024,
      height: 768,
    });
  });

  it("fits Claude's high-resolution models within 2576 px and 4784 tiles of 28 px", () => {
    const { claudeHighResolution } = screenshotLimits;
    expect(modelScreenSize(claudeHighResolution, { width: 1280, height: 960 })).toEqual({
      width: 1280,
      height: 960,
    });
    const large = modelScreenSize(claudeHighResolution, { width: 3840, height: 2160 });
    expect(Math.max(large.width, large.height)).toBeLessThanOrEqual(2576);
    expect(Math.ceil(large.width / 28) * Math.ceil(large.height / 28)).toBeLessThanOrEqual(4784);
    // Not shrunk further than the tiles need: one percent more would not fit.
    expect(Math.ceil((large.width * 1.02) / 28) * Math.ceil((large.height * 1.02) / 28)).toBeGreaterThan(
      4784,
    );
  });

  it('maps corners exactly and every point back within a pixel', () => {
    const scaling = new ScreenScaling({ width: 1280, height: 960 }, screenshotLimits.claudeStandard);
    const { width, height } = scaling.model;
    expect(scaling.toScreen({ x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
    expect(scaling.toScreen({ x: width - 1, y: height - 1 })).toEqual({ x: 1279, y: 959 });
    expect(scaling.toScreen({ x: width - 1, y: 0 })).toEqual({ x: 1279, y: 0 });
    for (const point of [
      { x: 0, y: 0 },
      { x: Math.floor(width / 2), y: Math.floor(height / 2) },
      { x: width - 1, y: height - 1 },
      { x: 17, y: height - 3 },
    ]) {
      const back = scaling.toModel(scaling.toScreen(point));
      expect(Math.abs(back.x - point.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(back.y - point.y)).toBeLessThanOrEqual(1);
      const screen = scaling.toScreen(point);
      expect(Math.abs(screen.x - (point.x * 1279) / (width - 1))).toBeLessThanOrEqual(1);
    }
  });

  it('maps the points of an action, and leaves a full-size screen alone', () => {
    const scaling = new ScreenScaling({ width: 1280, height: 960 }, screenshotLimits.openai);
    expect(
      scaling.actionToScreen({
        action: 'drag_mouse',
        path: [
          { x: 0, y: 0 },
          { x: 1023, y: 767 },
        ],
      }),
    ).toEqual({
      action: 'drag_mouse',
      path: [
        { x: 0, y: 0 },
        { x: 1279, y: 959 },
      ],
    });
    const same = new ScreenScaling({ width: 1280, height: 960 }, screenshotLimits.gemini);
    const action = { action: 'move_mouse', coordinates: { x: 5, y: 6 } } as const;
    expect(same.actionToScreen(action)).toBe(action);
  });
});
