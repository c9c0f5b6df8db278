import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesktop, type TestDesktop } from './support/test-desktop.ts';

describe('authentication', () => {
  let test: TestDesktop;

  beforeAll(async () => {
    test = await startTestDesktop({ session: 'none' });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('generates a token file readable only by its owner', async () => {
    const { statSync } = await import('node:fs');
    const mode = statSync(`${test.bytebotd.dataDirectory}/token`).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(test.bytebotd.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('answers 401 without a token or with a wrong one, and leaves the pointer alone', async () => {
    const { url, client } = test.bytebotd;
    await client.moveMouse({ x: 50, y: 50 });
    const body = JSON.stringify({ action: 'move_mouse', coordinates: { x: 500, y: 500 } });
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Basic ${test.bytebotd.token}`,
      'Bearer ',
    ]) {
      for (const [method, path] of [
        ['POST', '/computer-use'],
        ['GET', '/openapi.json'],
      ] as const) {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          ...(method === 'POST' ? { body } : {}),
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      }
    }
    expect(await client.cursorPosition()).toEqual({ x: 50, y: 50 });
  });

  it('answers /health without a token', async () => {
    const response = await fetch(`${test.bytebotd.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', screen: { width: 1280, height: 960 } });
  });

  it('survives a thousand random bodies with JSON errors and no 500', async () => {
    const { url, token, client } = test.bytebotd;
    const statuses = new Map<number, number>();
    for (let round = 0; round < 1000; round += 1) {
      const response = await fetch(`${url}/computer-use`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: randomBody(),
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const parsed = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200) {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(parsed.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
    }
    expect(statuses.get(500)).toBeUndefined();
    expect((await client.health()).status).toBe('ok');
    expect(test.bytebotd.output()).not.toMatch(/INTERNAL|Error:/);
  });
});

const seeds: unknown[] = [
  { action: 'move_mouse', coordinates: { x: 10, y: 10 } },
  { action: 'click_mouse', coordinates: { x: 10, y: 10 }, button: 'left', clickCount: 1 },
  { action: 'scroll', direction: 'down', scrollCount: 1 },
  { action: 'type_keys', keys: ['a'] },
  { action: 'press_keys', keys: ['Shift_L'], press: 'up' },
  { action: 'screenshot', format: 'jpeg', width: 64 },
  { action: 'cursor_position' },
  { action: 'read_file', path: 'missing.txt' },
  { action: 'trace_mouse', path: [{ x: 1, y: 1 }] },
];

const oddValues: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 53,
  -(2 ** 31),
  Number.MAX_VALUE,
  '',
  'x'.repeat(5000),
  '\u0000',
  '../../etc/passwd',
  '💥',
  [],
  [{}],
  {},
  { x: 'a' },
  { __proto__: { polluted: true } },
];

function pick<T>(values: readonly T[]): T {
  return values[randomInt(values.length)] as T;
}

function mutate(value: unknown, depth = 0): unknown {
  if (depth > 3 || randomInt(4) === 0) return pick(oddValues);
  if (Array.isArray(value)) {
    const copy = value.map((item) => (randomInt(3) === 0 ? mutate(item, depth + 1) : item));
    if (randomInt(3) === 0) copy.push(pick(oddValues));
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys.length > 0 ? pick(keys) : 'action';
    const choice = randomInt(4);
    if (choice === 0) delete copy[key];
    else if (choice === 1) copy[`extra${randomInt(3)}`] = pick(oddValues);
    else copy[key] = mutate(copy[key], depth + 1);
    return copy;
  }
  return pick(oddValues);
}

function randomBody(): string {
  const kind = randomInt(10);
  if (kind === 0)
    return Buffer.from(Array.from({ length: randomInt(64) }, () => randomInt(256))).toString('latin1');
  if (kind === 1) return JSON.stringify(pick(oddValues));
  if (kind === 2) return '['.repeat(5000);
  const text = JSON.stringify(mutate(pick(seeds)));
  // Sometimes cut the JSON short, as a dropped connection or a buggy client would.
  return kind === 3 ? text.slice(0, randomInt(text.length)) : text;
}
