import { type AgentTask, finishedTaskStatuses } from '@bytebot/protocol';
import Link from 'next/link';
import { formatWhen } from '../lib/format';
import { StatusBadge } from './status-badge';

const priorityWords: Record<AgentTask['priority'], string> = {
  LOW: 'Low priority',
  MEDIUM: 'Medium priority',
  HIGH: 'High priority',
  URGENT: 'Urgent',
};

/** One task in a list: its words (a link to it), status in words, priority and time; actions if given. */
export function TaskRow({
  task,
  onRetry,
  onDelete,
  busy = false,
}: {
  task: AgentTask;
  onRetry?: (task: AgentTask) => void;
  onDelete?: (task: AgentTask) => void;
  busy?: boolean;
}) {
  const finished = finishedTaskStatuses.has(task.status);
  return (
    <li className="task-row" data-task-id={task.id}>
      <div className="task-main">
        <Link href={`/tasks/${task.id}`} className="task-link">
          <span className="task-description">{task.description}</span>
        </Link>
        <span className="task-meta">
          <StatusBadge status={task.status} />
          <span className={`priority priority-${task.priority.toLowerCase()}`}>
            {priorityWords[task.priority]}
          </span>
          <time dateTime={task.createdAt}>{formatWhen(task.createdAt)}</time>
        </span>
      </div>
      {(onRetry || onDelete) && (
        <div className="task-actions">
          {onRetry && finished && (
            <button
              type="button"
              disabled={busy}
              aria-label={`Retry: ${task.description}`}
              onClick={() => onRetry(task)}
            >
              Retry
            </button>
          )}
          {onDelete && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              aria-label={`Delete: ${task.description}`}
              onClick={() => onDelete(task)}
            >
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
}
