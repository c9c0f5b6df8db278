import { describe, expect, it } from 'vitest';
import { wallpaperFromEnvironment } from './xfce-configuration.ts';

describe('BYTEBOT_WALLPAPER', () => {
  it('is plain unless set to default, and refuses anything else by name', () => {
    expect(wallpaperFromEnvironment(undefined)).toBe('plain');
    expect(wallpaperFromEnvironment('')).toBe('plain');
    expect(wallpaperFromEnvironment('plain')).toBe('plain');
    expect(wallpaperFromEnvironment('default')).toBe('default');
    expect(() => wallpaperFromEnvironment('blue')).toThrow(/BYTEBOT_WALLPAPER must be "plain" or "default"/);
  });
});
