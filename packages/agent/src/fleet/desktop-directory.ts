import { BytebotdClient } from '@bytebot/client';
import { AgentError } from '../agent-error.ts';
import type { DesktopRepository } from '../storage/index.ts';
import { type FleetIdentity, isLoopbackUrl } from './fleet-identity.ts';

/** A desktop of the fleet that this agent can reach: its bytebotd's address, and a client of it. */
export interface ReachableDesktop {
  id: string;
  url: URL;
  client: BytebotdClient;
}

export interface DesktopDirectoryOptions {
  desktops: DesktopRepository;
  identity: FleetIdentity;
  /** This agent's own desktop: BYTEBOTD_URL, and its client. */
  own: { url: string; client: BytebotdClient };
  /** Sent to every desktop: the fleet's desktops and agents share one BYTEBOT_TOKEN. */
  token: string | undefined;
  downAfterMs: number;
}

/**
 * Finds a desktop of the fleet by its id, and how this agent reaches its bytebotd: its own at BYTEBOTD_URL,
 * another at the address its agent registered. The agent is the fleet's gateway to every desktop, so the
 * addresses and the token stay on the servers. Unknown: NOT_FOUND; down, or registered at an address that is
 * another machine's loopback: DESKTOP_UNAVAILABLE, naming the desktop.
 */
export class DesktopDirectory {
  private readonly clients = new Map<string, BytebotdClient>();

  constructor(private readonly options: DesktopDirectoryOptions) {}

  async reach(id: string): Promise<ReachableDesktop> {
    const { desktops, identity, own, downAfterMs } = this.options;
    const row = await desktops.get(id, downAfterMs);
    const named = JSON.stringify(id.slice(0, 100));
    if (!row)
      throw new AgentError('NOT_FOUND', `id: no desktop ${named} in the fleet (GET /desktops lists them)`);
    if (row.stale || row.state === 'down') {
      throw new AgentError(
        'DESKTOP_UNAVAILABLE',
        `desktop ${named} is down (its agent last saw it at ${row.lastSeenAt.toISOString()})`,
      );
    }
    if (row.id === identity.desktopId) return { id: row.id, url: new URL(own.url), client: own.client };
    const url = new URL(row.address);
    // 127.0.0.1 on another machine (a pod's sidecar address) is a desktop of this machine, or none: never its.
    if (isLoopbackUrl(url) && row.machine !== identity.machine) {
      throw new AgentError(
        'DESKTOP_UNAVAILABLE',
        `desktop ${named} is registered at ${row.address}, an address of its own machine` +
          `${row.machine ? ` (${row.machine})` : ''}, not of this agent's (${identity.machine}): set ` +
          "BYTEBOT_DESKTOP_URL on its agent to an address the fleet's agents reach",
      );
    }
    return { id: row.id, url, client: this.clientFor(row.address) };
  }

  private clientFor(address: string): BytebotdClient {
    let client = this.clients.get(address);
    if (!client) {
      client = new BytebotdClient({ baseUrl: address, token: this.options.token });
      this.clients.set(address, client);
    }
    return client;
  }
}
