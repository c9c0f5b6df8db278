import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Who this agent is in the fleet, and which desktop it drives. */
export interface FleetIdentity {
  desktopId: string;
  agentId: string;
  /** bytebotd's URL as the fleet's agents reach it (BYTEBOT_DESKTOP_URL, or BYTEBOTD_URL). */
  address: string;
  /** This machine's host name: whose loopback a loopback address is. */
  machine: string;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a URL's host is this machine's own loopback, which names another machine on each machine. */
export function isLoopbackUrl(url: URL): boolean {
  return loopbackHosts.has(url.hostname) || url.hostname.startsWith('127.');
}

/** Letters, digits and . _ - only, so an id made from a host name is one BYTEBOT_DESKTOP_ID would accept. */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'desktop';
}

/**
 * A desktop id made from bytebotd's address: its host and port. A loopback address names this machine
 * only, and every machine of a fleet has one, so the machine's host name stands in for it.
 */
export function desktopIdFromAddress(bytebotdUrl: string, machine: string = hostname()): string {
  let url: URL;
  try {
    url = new URL(bytebotdUrl);
  } catch {
    return idPart(bytebotdUrl).slice(0, 100);
  }
  const host = isLoopbackUrl(url) ? machine : url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${idPart(host).slice(0, 90)}-${port}`;
}

/** The machine's host name and the process id: unique among the agents alive at once. */
export function defaultAgentId(machine: string = hostname(), pid: number = process.pid): string {
  return `${idPart(machine).slice(0, 80)}-${pid}-${randomBytes(2).toString('hex')}`;
}
