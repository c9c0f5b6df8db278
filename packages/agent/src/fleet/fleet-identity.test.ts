import { describe, expect, it } from 'vitest';
import { readFleetSettings } from '../agent-settings.ts';
import { defaultAgentId, desktopIdFromAddress } from './fleet-identity.ts';

describe("a pair's ids in the fleet", () => {
  it("names a desktop by bytebotd's host and port, a loopback address by the machine's name", () => {
    expect(desktopIdFromAddress('http://bytebotd-3:9990', 'machine')).toBe('bytebotd-3-9990');
    expect(desktopIdFromAddress('http://10.0.0.7:9990/', 'machine')).toBe('10.0.0.7-9990');
    expect(desktopIdFromAddress('http://127.0.0.1:9990', 'machine')).toBe('machine-9990');
    expect(desktopIdFromAddress('http://localhost:9991', 'machine')).toBe('machine-9991');
    expect(desktopIdFromAddress('http://[::1]:9990', 'machine')).toBe('machine-9990');
    expect(desktopIdFromAddress('https://desktops.example', 'machine')).toBe('desktops.example-443');
  });

  it('names an agent by its machine and process, different for two agents of one machine', () => {
    expect(defaultAgentId('machine', 42)).toMatch(/^machine-42-[0-9a-f]{4}$/);
    expect(defaultAgentId('machine', 1)).not.toBe(defaultAgentId('machine', 1));
  });

  it('reads the settings, and refuses what cannot work, naming the variable', () => {
    expect(readFleetSettings({})).toEqual({
      desktopId: undefined,
      agentId: undefined,
      desktopUrl: undefined,
      heartbeatMs: 5_000,
      desktopDownAfterMs: 30_000,
      queueLockMs: 20_000,
      queueStalledCheckMs: 10_000,
    });
    expect(
      readFleetSettings({
        BYTEBOT_DESKTOP_ID: 'desktop-1',
        BYTEBOT_HEARTBEAT_MS: '500',
        BYTEBOT_DESKTOP_DOWN_AFTER_MS: '3000',
      }),
    ).toMatchObject({ desktopId: 'desktop-1', heartbeatMs: 500, desktopDownAfterMs: 3_000 });
    expect(() => readFleetSettings({ BYTEBOT_DESKTOP_ID: 'a b' })).toThrow(/BYTEBOT_DESKTOP_ID/);
    expect(
      readFleetSettings({ BYTEBOT_DESKTOP_URL: 'http://desktop-0.bytebot-desktop:9990/' }).desktopUrl,
    ).toBe('http://desktop-0.bytebot-desktop:9990');
    expect(() => readFleetSettings({ BYTEBOT_DESKTOP_URL: 'desktop-0:9990' })).toThrow(/BYTEBOT_DESKTOP_URL/);
    expect(() =>
      readFleetSettings({ BYTEBOT_HEARTBEAT_MS: '5000', BYTEBOT_DESKTOP_DOWN_AFTER_MS: '6000' }),
    ).toThrow(/BYTEBOT_DESKTOP_DOWN_AFTER_MS/);
  });
});
