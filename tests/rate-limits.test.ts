import { execFileSync } from 'node:child_process';
import type { ErrorBody } from '@bytebot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFixture, startAgentFixture } from './support/agent-fixture.ts';
import type { AgentProcess } from './support/agent-process.ts';
import type { TestDesktop } from './support/test-desktop.ts';

describe('rate limits per token', () => {
  let fixture: AgentFixture<'none'>;
  let test: TestDesktop;
  let agent: AgentProcess;

  beforeAll(async () => {
    fixture = await startAgentFixture({
      provider: 'none',
      desktop: { session: 'none', environment: { BYTEBOT_RATE_LIMIT_ACTIONS: '5' } },
      environment: { BYTEBOT_RATE_LIMIT_TASKS: '2' },
    });
    test = fixture.testDesktop;
    agent = fixture.agent;
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('answers 429 with the wait once a token has used its actions, and does not act', async () => {
    const statuses: number[] = [];
    for (let call = 0; call < 6; call += 1) {
      const response = await fetch(`${test.bytebotd.url}/computer-use`, {
        method: 'POST',
        headers: { authorization: `Bearer ${test.bytebotd.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'move_mouse', coordinates: { x: 10 + call, y: 10 } }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(((await response.json()) as ErrorBody).error.code).toBe('RATE_LIMITED');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // The same token written another way is the same client: no fresh budget.
    for (const scheme of ['BEARER ', 'bearer   ']) {
      const response = await fetch(`${test.bytebotd.url}/computer-use`, {
        method: 'POST',
        headers: { authorization: `${scheme}${test.bytebotd.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'move_mouse', coordinates: { x: 100, y: 100 } }),
      });
      expect([scheme, response.status]).toEqual([scheme, 429]);
    }
    // The refused move did not happen: the pointer stayed where the fifth one put it (asked of X itself).
    const location = execFileSync('xdotool', ['getmouselocation'], {
      env: { ...process.env, ...test.desktop.environment() },
      encoding: 'utf8',
    });
    expect(location).toMatch(/^x:14 y:10 /);
  });

  it('limits new tasks, not reading them', async () => {
    const created: number[] = [];
    for (let task = 0; task < 3; task += 1) {
      created.push((await agent.request('POST', '/tasks', { description: `task ${task}` })).status);
    }
    expect(created).toEqual([201, 201, 429]);
    expect((await agent.request('GET', '/tasks')).status).toBe(200);
    // Another way of writing the header or the route is the same client and the same route: no fresh budget.
    for (const [scheme, path] of [
      ['BEARER ', '/tasks'],
      ['bearer   ', '/tasks'],
      ['Bearer ', '/tasks/'],
      ['Bearer ', '/TASKS'],
    ] as const) {
      const response = await fetch(`${agent.url}${path}`, {
        method: 'POST',
        headers: { authorization: `${scheme}${agent.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ description: 'one more' }),
      });
      expect([scheme, path, response.status]).toEqual([scheme, path, 429]);
    }
  });
});
