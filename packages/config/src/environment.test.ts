import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, readEnvironment } from './environment.ts';
import { ensureToken, readToken } from './token.ts';

describe('environment', () => {
  it('has the documented defaults', () => {
    const environment = readEnvironment({});
    expect(environment).toMatchObject({
      display: ':99',
      screen: { width: 1280, height: 960 },
      host: '127.0.0.1',
      bytebotdPort: 9990,
      bytebotdUrl: 'http://127.0.0.1:9990',
      authenticationEnabled: true,
    });
  });

  it('names the variable and what was expected when a value is wrong', () => {
    expect(() => readEnvironment({ BYTEBOT_SCREEN: '1280*960' })).toThrow(
      /BYTEBOT_SCREEN: expected WIDTHxHEIGHT/,
    );
    expect(() => readEnvironment({ BYTEBOTD_PORT: '99999' })).toThrow(ConfigurationError);
    expect(() => readEnvironment({ BYTEBOT_AUTH: 'maybe' })).toThrow(/BYTEBOT_AUTH: expected "on" or "off"/);
    expect(() => readEnvironment({ BYTEBOT_DISPLAY: 'remote:0' })).toThrow(/BYTEBOT_DISPLAY/);
    expect(readEnvironment({ BYTEBOT_AUTH: 'off' }).authenticationEnabled).toBe(false);
  });
});

describe('token', () => {
  it('generates once, with mode 0600, and reads the same token back', () => {
    const dataDirectory = join(mkdtempSync(join(tmpdir(), 'token-test-')), 'nested');
    expect(readToken({ token: undefined, dataDirectory })).toBeUndefined();
    const token = ensureToken({ token: undefined, dataDirectory });
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(statSync(join(dataDirectory, 'token')).mode & 0o777).toBe(0o600);
    expect(ensureToken({ token: undefined, dataDirectory })).toBe(token);
    expect(readToken({ token: undefined, dataDirectory })).toBe(token);
    expect(readToken({ token: 'configured', dataDirectory })).toBe('configured');
  });
});
