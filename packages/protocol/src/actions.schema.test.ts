import { describe, expect, it } from 'vitest';
import { actionNames, computerActionSchema } from './actions.schema.ts';
import { allActionJsonSchemas } from './json-schema.ts';

describe('computer action schema', () => {
  it('keeps the original daemon action names', () => {
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
});
