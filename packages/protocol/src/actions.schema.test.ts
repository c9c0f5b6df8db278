import { describe, expect, it } from 'vitest';
import { actionNames, computerActionSchema } from './actions.schema.ts';
import { allActionJsonSchemas } from './json-schema.ts';

describe('computer action schema', () => {
  it('keeps the original daemon action names, and adds zoom after them', () => {
    expect(actionNames).toEqual([
      'move_mouse',
      'trace_mouse',
      'click_mouse',
      'press_mouse',
      'drag_mouse',
      'scroll',
      'type_keys',
      'press_keys',
      'type_text',
      'paste_text',
      'wait',
      'screenshot',
      'cursor_position',
      'application',
      'write_file',
      'read_file',
      'zoom',
    ]);
  });

  it('accepts the original shapes and fills in defaults', () => {
    expect(computerActionSchema.parse({ action: 'click_mouse', coordinates: { x: 1, y: 2 } })).toEqual({
      action: 'click_mouse',
      coordinates: { x: 1, y: 2 },
      button: 'left',
      clickCount: 1,
    });
    expect(computerActionSchema.parse({ action: 'scroll', direction: 'down', scrollCount: 3 })).toMatchObject(
      {
        scrollCount: 3,
      },
    );
    expect(computerActionSchema.parse({ action: 'screenshot' })).toEqual({
      action: 'screenshot',
      format: 'png',
    });
  });

  it('derives a described JSON Schema for every action', () => {
    const schemas = allActionJsonSchemas();
    expect(Object.keys(schemas)).toEqual(actionNames);
    for (const [name, schema] of Object.entries(schemas)) {
      expect(schema.description, name).toEqual(expect.any(String));
      expect((schema.properties as Record<string, { const?: string }>).action?.const).toBe(name);
    }
    const click = schemas.click_mouse.properties as Record<string, { description?: string }>;
    expect(click.clickCount?.description).toMatch(/double click/);
  });

  it('offers screenshotAfter on every action whose result is not an image already', () => {
    const schemas = allActionJsonSchemas();
    for (const name of actionNames) {
      const properties = schemas[name].properties as Record<string, { description?: string }>;
      if (name === 'screenshot' || name === 'zoom') expect(properties.screenshotAfter, name).toBeUndefined();
      else expect(properties.screenshotAfter?.description, name).toMatch(/stopped changing/);
    }
    expect(
      computerActionSchema.parse({ action: 'wait', duration: 0, screenshotAfter: { format: 'jpeg' } }),
    ).toEqual({
      action: 'wait',
      duration: 0,
      screenshotAfter: { format: 'jpeg', quietMs: 100, maxWaitMs: 2000 },
    });
  });

  it('refuses screenshotAfter that cannot work, naming the field', () => {
    const refused = (screenshotAfter: unknown) => {
      const result = computerActionSchema.safeParse({ action: 'cursor_position', screenshotAfter });
      return result.success ? undefined : result.error.issues[0]?.path;
    };
    expect(refused({ quietMs: -1 })).toEqual(['screenshotAfter', 'quietMs']);
    expect(refused({ maxWaitMs: 10_001 })).toEqual(['screenshotAfter', 'maxWaitMs']);
    expect(refused({ quietMs: 500, maxWaitMs: 400 })).toEqual(['screenshotAfter', 'quietMs']);
    expect(refused({ colour: 'red' })).toEqual(['screenshotAfter']);
    expect(refused({ quietMs: 0, maxWaitMs: 0 })).toBeUndefined();
    expect(computerActionSchema.safeParse({ action: 'screenshot', screenshotAfter: {} }).success).toBe(false);
  });

  it('takes a zoom region with a scale from 1 to 4', () => {
    const region = { x: 10, y: 20, width: 30, height: 40 };
    expect(computerActionSchema.parse({ action: 'zoom', region })).toEqual({
      action: 'zoom',
      region,
      scale: 1,
      format: 'png',
    });
    for (const bad of [{ scale: 0.5 }, { scale: 4.5 }, { region: { ...region, width: 0 } }, { region: {} }])
      expect(computerActionSchema.safeParse({ action: 'zoom', region, ...bad }).success).toBe(false);
  });
});
