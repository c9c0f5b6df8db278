import { BytebotdClient } from '@bytebot/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentDatabase } from '../storage/database.ts';
import { DesktopRepository } from '../storage/desktop.repository.ts';
import { desktops } from '../storage/schema.ts';
import { createTestDatabasePlace, type TestDatabasePlace } from '../storage/test-databases.fixture.ts';
import { DesktopDirectory } from './desktop-directory.ts';

describe('finding a desktop of the fleet to show it', () => {
  let place: TestDatabasePlace;
  let database: AgentDatabase;
  let directory: DesktopDirectory;
  const own = {
    url: 'http://127.0.0.1:9990',
    client: new BytebotdClient({ baseUrl: 'http://127.0.0.1:9990' }),
  };

  beforeAll(async () => {
    place = await createTestDatabasePlace('pglite');
    database = await place.open();
    const rows = new DesktopRepository(database.db);
    const sighting = (id: string, address: string, machine: string, state: 'idle' | 'down' = 'idle') =>
      rows.record({ id, agentId: `agent-of-${id}`, address, machine, screen: null, state, taskId: null });
    await sighting('mine', 'http://127.0.0.1:9990', 'here');
    await sighting('beside', 'http://127.0.0.1:9995', 'here');
    await sighting('named', 'http://desktop-2:9990', 'there');
    await sighting('in-a-pod', 'http://127.0.0.1:9990', 'pod-1');
    await sighting('stopped', 'http://desktop-3:9990', 'there', 'down');
    await sighting('silent', 'http://desktop-4:9990', 'there');
    await database.db
      .update(desktops)
      .set({ lastSeenAt: sql`now() - interval '2 minutes'` })
      .where(sql`${desktops.id} = 'silent'`);
    directory = new DesktopDirectory({
      desktops: rows,
      identity: { desktopId: 'mine', agentId: 'agent-of-mine', address: own.url, machine: 'here' },
      own,
      token: 'the-fleet-token',
      downAfterMs: 60_000,
    });
  });

  afterAll(async () => {
    await place?.dispose();
  });

  it('reaches its own desktop with its own client, and another at the address its agent registered', async () => {
    const mine = await directory.reach('mine');
    expect(mine.client).toBe(own.client);
    expect((await directory.reach('named')).url.href).toBe('http://desktop-2:9990/');
    // A loopback address of this same machine is another desktop of it, reached there.
    expect((await directory.reach('beside')).url.href).toBe('http://127.0.0.1:9995/');
    // One client per address, kept.
    expect((await directory.reach('named')).client).toBe((await directory.reach('named')).client);
  });

  it("refuses, naming the desktop, one that is unknown, down, or at another machine's loopback", async () => {
    await expect(directory.reach('nowhere')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('"nowhere"'),
    });
    for (const id of ['stopped', 'silent']) {
      await expect(directory.reach(id)).rejects.toMatchObject({
        code: 'DESKTOP_UNAVAILABLE',
        message: expect.stringMatching(new RegExp(`"${id}" is down`)),
      });
    }
    // Its 127.0.0.1 is pod-1's: this agent's would be another desktop, or none.
    await expect(directory.reach('in-a-pod')).rejects.toMatchObject({
      code: 'DESKTOP_UNAVAILABLE',
      message: expect.stringContaining('BYTEBOT_DESKTOP_URL'),
    });
  });
});
