import { describe, expect, it } from 'vitest';
import type { PairPlan } from './pair-plan.ts';
import { readyMessage } from './ready-message.ts';

const pair = (index: number): PairPlan => ({
  index,
  display: `:${98 + index}`,
  bytebotdPort: 9980 + index * 10,
  vncPort: 5899 + index,
  agentPort: 9981 + index * 10,
  bytebotdUrl: `http://127.0.0.1:${9980 + index * 10}`,
  agentUrl: `http://127.0.0.1:${9981 + index * 10}`,
  desktopId: `desktop-${index}`,
  agentId: undefined,
  desktopUser: undefined,
});

describe('the ready message', () => {
  it('keeps the one-pair message as it was', () => {
    const text = readyMessage({
      pairs: [{ ...pair(1), desktopId: undefined }],
      uiUrl: 'http://127.0.0.1:9992',
      tokenHint: 'the API token is in /data/token',
    });
    expect(text).toContain('Bytebot is ready: open http://127.0.0.1:9992\n');
    expect(text).toContain('  agent API http://127.0.0.1:9991   bytebotd http://127.0.0.1:9990\n');
  });

  it('prints a row for each pair: its id, display, bytebotd, agent and VNC port', () => {
    const text = readyMessage({
      pairs: [pair(1), pair(2)],
      uiUrl: 'http://127.0.0.1:9992',
      tokenHint: 'authentication is OFF',
    });
    expect(text).toContain('Bytebot is ready with 2 desktops: open http://127.0.0.1:9992');
    const rows = [
      ...text.matchAll(/^ {2}(\S+)\s+display (:\d+)\s+bytebotd (\S+)\s+agent API (\S+)\s+VNC (\S+)$/gm),
    ];
    expect(rows.map((row) => row.slice(1))).toEqual([
      ['desktop-1', ':99', 'http://127.0.0.1:9990', 'http://127.0.0.1:9991', '127.0.0.1:5900'],
      ['desktop-2', ':100', 'http://127.0.0.1:10000', 'http://127.0.0.1:10001', '127.0.0.1:5901'],
    ]);
  });
});
