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

  it('takes the default for an empty variable, as for an unset one', () => {
    const empty = readEnvironment({
      BYTEBOT_DISPLAY: '',
      BYTEBOT_SCREEN: '',
      BYTEBOTD_PORT: '',
      BYTEBOT_AUTH: '',
      DATABASE_URL: '  ',
      BYTEBOT_RATE_LIMIT_ACTIONS: ' ',
      BYTEBOT_TOKEN: '',
    });
    expect(empty).toEqual(readEnvironment({}));
    expect(empty).toMatchObject({
      vncPort: 5900,
      agentPort: 9991,
      agentUrl: 'http://127.0.0.1:9991',
      token: undefined,
      databaseUrl: undefined,
      redisUrl: undefined,
      vncPassword: undefined,
      rateLimits: { actionsPerMinute: 3000, tasksPerMinute: 60 },
    });
  });

  it('reads set values into the settings', () => {
    const environment = readEnvironment({
      BYTEBOTD_PORT: '8000',
      AGENT_PORT: '8001',
      BYTEBOT_SCREEN: '1920x1080',
      BYTEBOT_VNC_PASSWORD: ' OFF ',
      DATABASE_URL: ' postgresql://bytebot@db/bytebot ',
      REDIS_URL: 'rediss://cache:6380',
      BYTEBOT_RATE_LIMIT_TASKS: ' 0 ',
    });
    expect(environment).toMatchObject({
      bytebotdPort: 8000,
      bytebotdUrl: 'http://127.0.0.1:8000',
      agentUrl: 'http://127.0.0.1:8001',
      screen: { width: 1920, height: 1080 },
      vncPassword: false,
      databaseUrl: 'postgresql://bytebot@db/bytebot',
      redisUrl: 'rediss://cache:6380',
      rateLimits: { tasksPerMinute: 0 },
    });
    expect(readEnvironment({ BYTEBOT_VNC_PASSWORD: 'secret' }).vncPassword).toBe('secret');
  });

  it.each([
    ['BYTEBOTD_PORT', '99999', 'BYTEBOTD_PORT: expected a port number from 0 to 65535, got "99999"'],
    ['AGENT_PORT', 'nine', 'AGENT_PORT: expected a port number from 0 to 65535, got "nine"'],
    [
      'BYTEBOT_SCREEN',
      '100x100',
      'BYTEBOT_SCREEN: expected WIDTHxHEIGHT between 320x240 and 7680x4320, got "100x100"',
    ],
    [
      'BYTEBOT_DISPLAY',
      'remote:0',
      'BYTEBOT_DISPLAY: expected a local display such as ":99", got "remote:0"',
    ],
    ['BYTEBOT_AUTH', 'Maybe', 'BYTEBOT_AUTH: expected "on" or "off", got "Maybe"'],
    [
      'DATABASE_URL',
      'mysql://db/bytebot',
      'DATABASE_URL: expected a postgres: or postgresql: URL, got "mysql:"',
    ],
    ['REDIS_URL', 'not a url', 'REDIS_URL: expected a URL such as redis://host:port/..., got something else'],
    [
      'BYTEBOT_RATE_LIMIT_ACTIONS',
      '-5',
      'BYTEBOT_RATE_LIMIT_ACTIONS: expected a whole number a minute (0 for no limit), got "-5"',
    ],
  ])('refuses %s=%s naming the variable and what was expected', (variable, value, message) => {
    const error = captured(() => readEnvironment({ [variable]: value }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).variable).toBe(variable);
    expect((error as ConfigurationError).message).toBe(message);
  });

  it('reports every wrong variable at once, the first one as the error variable', () => {
    const error = captured(() =>
      readEnvironment({ BYTEBOT_SCREEN: 'big', BYTEBOTD_PORT: '-1', REDIS_URL: 'http://cache' }),
    ) as ConfigurationError;
    expect(error.variable).toBe('BYTEBOT_SCREEN');
    expect(error.message).toBe(
      'BYTEBOT_SCREEN: expected WIDTHxHEIGHT between 320x240 and 7680x4320, got "big"; ' +
        'BYTEBOTD_PORT: expected a port number from 0 to 65535, got "-1"; ' +
        'REDIS_URL: expected a redis: or rediss: URL, got "http:"',
    );
  });

  it('does not quote a database URL it cannot parse (it may hold a password)', () => {
    const error = captured(() => readEnvironment({ DATABASE_URL: 'postgres://user:hunter2@[bad' }));
    expect((error as Error).message).not.toContain('hunter2');
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

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
