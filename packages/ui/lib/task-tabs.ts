import { type TaskCounts, type TaskStatus, unfinishedTaskStatuses } from '@bytebot/protocol';

export type TaskTabKey = 'all' | 'active' | 'completed' | 'ended';

export interface TaskTab {
  key: TaskTabKey;
  label: string;
  /** The statuses the tab lists; all of them when undefined. */
  statuses: readonly TaskStatus[] | undefined;
}

/** Active is every unfinished status, waiting for a person included: those still need someone's eye. */
export const taskTabs: readonly TaskTab[] = [
  { key: 'all', label: 'All', statuses: undefined },
  { key: 'active', label: 'Active', statuses: unfinishedTaskStatuses },
  { key: 'completed', label: 'Completed', statuses: ['COMPLETED'] },
  { key: 'ended', label: 'Cancelled or failed', statuses: ['CANCELLED', 'FAILED'] },
];

export function isTaskTabKey(value: string | null): value is TaskTabKey {
  return taskTabs.some((tab) => tab.key === value);
}

export function tabCount(tab: TaskTab, counts: TaskCounts): number {
  if (!tab.statuses) return counts.total;
  return tab.statuses.reduce((sum, status) => sum + counts.counts[status], 0);
}
