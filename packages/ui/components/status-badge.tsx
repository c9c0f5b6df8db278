import type { TaskStatus } from '@bytebot/protocol';

const labels: Record<TaskStatus, string> = {
  PENDING: 'Waiting',
  RUNNING: 'Running',
  NEEDS_HELP: 'Needs your help',
  NEEDS_REVIEW: 'Needs review',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
  FAILED: 'Failed',
};

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-status={status}>
      {labels[status]}
    </span>
  );
}
