import type { DesktopState } from '@bytebot/protocol';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { desktops } from './schema.ts';

export type DesktopRow = typeof desktops.$inferSelect;

/** A desktop as its own agent sees it at a heartbeat. */
export interface DesktopSighting {
  id: string;
  agentId: string;
  address: string;
  /** The host name of the agent's machine. */
  machine: string;
  screen: { width: number; height: number } | null;
  state: DesktopState;
  taskId: string | null;
}

/** A row with whether its heartbeat is too old: its agent stopped writing it. */
export type ListedDesktop = DesktopRow & { stale: boolean };

export class DesktopRepository {
  constructor(private readonly db: Database) {}

  /**
   * Writes the desktop's row as its agent sees it now. The time is the database's own, so agents whose
   * clocks disagree still compare heartbeats on one clock. A screen not known this time keeps the last one.
   */
  async record(sighting: DesktopSighting): Promise<void> {
    const values = {
      id: sighting.id,
      agentId: sighting.agentId,
      address: sighting.address,
      machine: sighting.machine,
      screenWidth: sighting.screen?.width ?? null,
      screenHeight: sighting.screen?.height ?? null,
      state: sighting.state,
      taskId: sighting.taskId,
      lastSeenAt: sql`now()`,
    };
    await this.db
      .insert(desktops)
      .values(values)
      .onConflictDoUpdate({
        target: desktops.id,
        set: {
          agentId: values.agentId,
          address: values.address,
          machine: values.machine,
          ...(sighting.screen ? { screenWidth: values.screenWidth, screenHeight: values.screenHeight } : {}),
          state: values.state,
          taskId: values.taskId,
          lastSeenAt: values.lastSeenAt,
        },
      });
  }

  async get(id: string, downAfterMs: number): Promise<ListedDesktop | undefined> {
    const [row] = await this.db
      .select({ ...this.columns(), stale: this.stale(downAfterMs) })
      .from(desktops)
      .where(eq(desktops.id, id));
    return row;
  }

  /** Every registered desktop by id, each with whether its heartbeat is older than `downAfterMs`. */
  async list(downAfterMs: number): Promise<ListedDesktop[]> {
    return this.db
      .select({ ...this.columns(), stale: this.stale(downAfterMs) })
      .from(desktops)
      .orderBy(asc(desktops.id));
  }

  /** Whether a desktop other than `id` has a fresh heartbeat and is not down: a task could go there. */
  async anotherIsUp(id: string, downAfterMs: number): Promise<boolean> {
    const [row] = await this.db
      .select({ id: desktops.id })
      .from(desktops)
      .where(
        and(
          ne(desktops.id, id),
          ne(desktops.state, 'down'),
          sql`${desktops.lastSeenAt} > now() - ${this.interval(downAfterMs)}`,
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  private columns() {
    return {
      id: desktops.id,
      agentId: desktops.agentId,
      address: desktops.address,
      machine: desktops.machine,
      screenWidth: desktops.screenWidth,
      screenHeight: desktops.screenHeight,
      state: desktops.state,
      taskId: desktops.taskId,
      lastSeenAt: desktops.lastSeenAt,
    };
  }

  private stale(downAfterMs: number) {
    return sql<boolean>`${desktops.lastSeenAt} <= now() - ${this.interval(downAfterMs)}`.mapWith(Boolean);
  }

  private interval(milliseconds: number) {
    return sql`make_interval(secs => ${Math.max(0, milliseconds) / 1000})`;
  }
}
