import { ConfigurationError } from '@bytebot/config';
import { describe, expect, it } from 'vitest';
import { parseLauncherArguments } from './launcher-arguments.ts';
import { requireSharedStores } from './shared-stores.ts';

function refusal(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('npm start arguments', () => {
  it('runs one pair by default and N with --desktops N or --desktops=N', () => {
    expect(parseLauncherArguments([])).toEqual({ desktops: 1, help: false });
    expect(parseLauncherArguments(['--desktops', '4']).desktops).toBe(4);
    expect(parseLauncherArguments(['--desktops=16']).desktops).toBe(16);
    expect(parseLauncherArguments(['--help']).help).toBe(true);
  });

  it.each([
    [['--desktops', 'x'], '--desktops: expected a whole number from 1 to 16, got "x"'],
    [['--desktops', '0'], '--desktops: expected a whole number from 1 to 16, got "0"'],
    [['--desktops=17'], '--desktops: expected a whole number from 1 to 16, got "17"'],
    [['--desktops', '2.5'], '--desktops: expected a whole number from 1 to 16, got "2.5"'],
    [['--desktops'], '--desktops: expected a whole number from 1 to 16, got nothing'],
  ])('refuses %j naming the flag', (argv, message) => {
    const error = refusal(() => parseLauncherArguments(argv));
    expect(error.variable).toBe('--desktops');
    expect(error.message).toBe(message);
  });

  it('refuses an unknown argument by name, with the usage', () => {
    const error = refusal(() => parseLauncherArguments(['--desktop', '2']));
    expect(error.message).toMatch(/^--desktop: not an option of npm start; usage:\nnpm start/);
  });
});

describe('several pairs need PostgreSQL and Redis', () => {
  it('lets one pair use the embedded stores', () => {
    expect(() => requireSharedStores({ databaseUrl: undefined, redisUrl: undefined }, 1)).not.toThrow();
  });

  it('names what is missing and how to run both locally', () => {
    const both = refusal(() => requireSharedStores({ databaseUrl: undefined, redisUrl: undefined }, 4));
    expect(both.variable).toBe('DATABASE_URL and REDIS_URL');
    expect(both.message).toContain('--desktops 4 needs both DATABASE_URL and REDIS_URL');
    expect(both.message).toContain('apt-get install -y postgresql redis-server');
    expect(both.message).toContain('REDIS_URL=redis://127.0.0.1:6379 npm start -- --desktops 4');
    const redis = refusal(() =>
      requireSharedStores({ databaseUrl: 'postgresql://127.0.0.1/bytebot', redisUrl: undefined }, 2),
    );
    expect(redis.variable).toBe('REDIS_URL');
    expect(() =>
      requireSharedStores({ databaseUrl: 'postgresql://127.0.0.1/b', redisUrl: 'redis://127.0.0.1' }, 2),
    ).not.toThrow();
  });
});
