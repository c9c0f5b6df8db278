import { BytebotdClientError } from '@bytebot/client';
import { desktopScreenshotQuerySchema, type LiveView } from '@bytebot/protocol';
import { AgentError } from '../agent-error.ts';
import { parseRequest } from '../request-input.ts';
import type { DesktopDirectory } from './desktop-directory.ts';

/** Long enough for a busy desktop's screenshot, short enough that a list of thumbnails does not pile up. */
const viewTimeoutMs = 10_000;

/**
 * What a person sees of any desktop of the fleet through this agent: a thumbnail of its screen now, and
 * what its live view needs (the websocket itself is piped in desktop-websockify.ts).
 */
export class DesktopViews {
  constructor(readonly directory: DesktopDirectory) {}

  /** The screen as a PNG scaled to `width` by bytebotd (a thumbnail is a few kilobytes, not a full frame). */
  async screenshot(id: string, query: unknown): Promise<Buffer> {
    const { width } = parseRequest(desktopScreenshotQuerySchema, query);
    const desktop = await this.directory.reach(id);
    try {
      const { data } = await desktop.client.screenshot({ format: 'png', width, timeoutMs: viewTimeoutMs });
      return data;
    } catch (error) {
      throw desktopFailure(desktop.id, error);
    }
  }

  /** The websocket's path on this agent, and the desktop's own VNC password (each desktop has its own). */
  async liveView(id: string): Promise<LiveView> {
    const desktop = await this.directory.reach(id);
    try {
      const { password } = await desktop.client.liveView({ timeoutMs: viewTimeoutMs });
      return { websocket: `/desktops/${encodeURIComponent(desktop.id)}/websockify`, password };
    } catch (error) {
      throw desktopFailure(desktop.id, error);
    }
  }
}

/** A failure of a desktop's bytebotd as the caller of this agent should read it, naming the desktop. */
export function desktopFailure(id: string, error: unknown): AgentError {
  const named = JSON.stringify(id);
  if (error instanceof BytebotdClientError && error.status === 401) {
    return new AgentError(
      'UPSTREAM_UNAVAILABLE',
      `desktop ${named} refused this agent's token: every desktop and agent of a fleet needs the same BYTEBOT_TOKEN`,
    );
  }
  if (error instanceof BytebotdClientError && error.status === 400) {
    return new AgentError('INVALID_REQUEST', `desktop ${named}: ${error.message}`);
  }
  return new AgentError(
    'DESKTOP_UNAVAILABLE',
    `desktop ${named} does not answer: ${(error as Error).message ?? String(error)}`,
  );
}
