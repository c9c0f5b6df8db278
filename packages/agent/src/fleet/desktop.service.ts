import type { Desktop, DesktopList } from '@bytebot/protocol';
import type { DesktopRepository, ListedDesktop } from '../storage/index.ts';

/** A desktop row as the API answers it: no address, and down when its heartbeat is too old. */
export function desktopBody(row: ListedDesktop): Desktop {
  const down = row.stale || row.state === 'down';
  return {
    id: row.id,
    state: down ? 'down' : row.state,
    // A down desktop runs nothing: its task, if it had one, waits for or runs on another desktop.
    taskId: down ? null : row.taskId,
    lastSeenAt: row.lastSeenAt.toISOString(),
    agentId: row.agentId,
    screen: row.screenWidth && row.screenHeight ? { width: row.screenWidth, height: row.screenHeight } : null,
  };
}

/** The fleet's desktops, as any agent of it sees them in the shared database (GET /desktops). */
export class DesktopService {
  constructor(
    private readonly desktops: DesktopRepository,
    private readonly downAfterMs: number,
  ) {}

  async list(): Promise<DesktopList> {
    return { desktops: (await this.desktops.list(this.downAfterMs)).map(desktopBody) };
  }
}
