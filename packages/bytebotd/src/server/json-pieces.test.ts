import { describe, expect, it } from 'vitest';
import { jsonPieces } from './json-pieces.ts';

describe('jsonPieces', () => {
  const image = Buffer.from('pixels').toString('base64');

  it('is the JSON of the body, the base64 string a piece of its own', () => {
    for (const [body, path] of [
      [{ image, mediaType: 'image/png', width: 2, height: 1 }, ['image']],
      [{ image }, ['image']],
      [{ success: true, screenshot: { image, settled: true, waitedMs: 101 } }, ['screenshot', 'image']],
      [{ screenshot: { image } }, ['screenshot', 'image']],
      [{ x: 1, y: 2, screenshot: { image, note: 'quote " and \\ ✓' } }, ['screenshot', 'image']],
    ] as const) {
      const pieces = jsonPieces(body, path);
      expect(JSON.parse(pieces.join(''))).toEqual(body);
      expect(pieces).toContain(image);
    }
  });

  it('is plain JSON without a path', () => {
    expect(jsonPieces({ success: true }, [])).toEqual(['{"success":true}']);
  });
});
