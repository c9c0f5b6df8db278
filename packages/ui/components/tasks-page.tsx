'use client';

import type { AgentTask, TaskCounts, TaskPage, TaskSort } from '@bytebot/protocol';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, retryTask } from '../lib/api';
import { useLiveEvents } from '../lib/live-events';
import { isTaskTabKey, type TaskTabKey, taskTabs } from '../lib/task-tabs';
import { ConfirmDialog } from './confirm-dialog';
import { Pagination } from './pagination';
import { StatusBanners } from './status-banners';
import { StatusTabs, taskListPanelId } from './status-tabs';
import { TaskRow } from './task-row';

const pageSize = 20;
/** Typing pauses this long before the list is searched. */
const searchPauseMs = 300;
/** Live events come in bursts (a task's every step): the list and counts are read once a burst. */
const refreshPauseMs = 250;

interface ListState {
  tab: TaskTabKey;
  search: string;
  sort: TaskSort;
  page: number;
}

/** The list's state lives in the address, so a reload, a link or Back shows the same list. */
function readState(parameters: URLSearchParams): ListState {
  const tab = parameters.get('tab');
  return {
    tab: isTaskTabKey(tab) ? tab : 'all',
    search: parameters.get('search') ?? '',
    sort: parameters.get('sort') === 'priority' ? 'priority' : 'newest',
    page: Math.max(1, Math.floor(Number(parameters.get('page'))) || 1),
  };
}

function writeState(state: ListState): string {
  const parameters = new URLSearchParams();
  if (state.tab !== 'all') parameters.set('tab', state.tab);
  if (state.search !== '') parameters.set('search', state.search);
  if (state.sort !== 'newest') parameters.set('sort', state.sort);
  if (state.page > 1) parameters.set('page', String(state.page));
  const text = parameters.toString();
  return text === '' ? '' : `?${text}`;
}

/** Every task: by status (with live counts), searched, sorted and paged; each can be opened, retried or deleted. */
export function TasksPage() {
  const router = useRouter();
  const pathname = usePathname();
  const parameters = useSearchParams();
  const address = parameters.toString();
  const state = useMemo(() => readState(new URLSearchParams(address)), [address]);
  const [searchText, setSearchText] = useState(state.search);
  const [list, setList] = useState<TaskPage | undefined>();
  const [counts, setCounts] = useState<TaskCounts | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const [deleting, setDeleting] = useState<AgentTask | undefined>();
  const [busy, setBusy] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const change = useCallback(
    (changes: Partial<ListState>) => {
      const next = { ...state, page: 1, ...changes };
      router.replace(`${pathname}${writeState(next)}`, { scroll: false });
    },
    [state, router, pathname],
  );

  const { tab, search, sort, page } = state;
  const refresh = useCallback(() => {
    const statuses = taskTabs.find((candidate) => candidate.key === tab)?.statuses;
    Promise.all([
      api.listTasks({
        page,
        limit: pageSize,
        sort,
        ...(search ? { search } : {}),
        ...(statuses ? { statuses: statuses.join(',') } : {}),
      }),
      api.taskCounts(search || undefined),
    ]).then(
      ([nextList, nextCounts]) => {
        setList(nextList);
        setCounts(nextCounts);
        setError(undefined);
      },
      (caught: Error) => setError(caught.message),
    );
  }, [tab, search, sort, page]);

  useEffect(refresh, [refresh]);

  // The address changed (Back, a link): the search box shows what is searched.
  useEffect(() => setSearchText(search), [search]);

  // Typing searches once it pauses.
  useEffect(() => {
    if (searchText.trim() === search) return;
    const timer = setTimeout(() => change({ search: searchText.trim() }), searchPauseMs);
    return () => clearTimeout(timer);
  }, [searchText, search, change]);

  const refreshSoon = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(refresh, refreshPauseMs);
  }, [refresh]);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  useLiveEvents({
    taskCreated: refreshSoon,
    taskUpdated: (task) => {
      // The row changes at once; whether it still belongs in this tab, and the counts, follow the refresh.
      setList(
        (current) =>
          current && { ...current, tasks: current.tasks.map((item) => (item.id === task.id ? task : item)) },
      );
      refreshSoon();
    },
    taskDeleted: refreshSoon,
    connected: refresh,
  });

  // A page past the end (the last task of the last page deleted): the last page there is.
  useEffect(() => {
    if (list && list.totalPages > 0 && page > list.totalPages) change({ page: list.totalPages });
  }, [list, page, change]);

  async function confirmDelete() {
    const task = deleting;
    if (!task) return;
    setDeleting(undefined);
    setBusy(true);
    try {
      await api.deleteTask(task.id);
      setList(
        (current) =>
          current && {
            ...current,
            tasks: current.tasks.filter((item) => item.id !== task.id),
            total: current.total - 1,
          },
      );
      setAnnouncement(`Deleted the task “${task.description}”.`);
      // Its row and buttons are gone: focus goes to the list it was in.
      panel.current?.focus();
      refresh();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function retry(task: AgentTask) {
    setBusy(true);
    try {
      const created = await retryTask(task);
      router.push(`/tasks/${created.id}`);
    } catch (caught) {
      setError((caught as Error).message);
      setBusy(false);
    }
  }

  const chosenTab = taskTabs.find((candidate) => candidate.key === tab) ?? taskTabs[0];
  return (
    <div className="tasks-page">
      <StatusBanners />
      <h1>Tasks</h1>
      <div className="list-tools">
        <search>
          <form
            className="search"
            onSubmit={(event) => {
              event.preventDefault();
              change({ search: searchText.trim() });
            }}
          >
            <label htmlFor="task-search">Search tasks</label>
            <input
              id="task-search"
              type="search"
              name="search"
              placeholder="Words in the description"
              value={searchText}
              onChange={(event) => setSearchText(event.target.value)}
            />
          </form>
        </search>
        <label className="sort">
          Sort by
          <select
            name="sort"
            value={sort}
            onChange={(event) => change({ sort: event.target.value as TaskSort })}
          >
            <option value="newest">Newest first</option>
            <option value="priority">Priority, urgent first</option>
          </select>
        </label>
      </div>
      <StatusTabs chosen={tab} counts={counts} onChoose={(key) => change({ tab: key })} />
      <div
        ref={panel}
        id={taskListPanelId}
        role="tabpanel"
        aria-labelledby={`tab-${chosenTab?.key}`}
        tabIndex={-1}
        className="task-panel-list"
      >
        {error && (
          <p className="error" role="alert">
            Could not load the tasks: {error}
          </p>
        )}
        {!list && !error && <p className="muted">Loading tasks…</p>}
        {list && list.tasks.length === 0 && (
          <div className="empty card" data-empty="filtered">
            <p>
              {search
                ? `No ${tab === 'all' ? '' : `${chosenTab?.label.toLowerCase()} `}task mentions “${search}”.`
                : `No ${tab === 'all' ? '' : `${chosenTab?.label.toLowerCase()} `}tasks.`}
            </p>
          </div>
        )}
        {list && list.tasks.length > 0 && (
          <ul className="task-list" aria-label={`${chosenTab?.label} tasks, page ${page}`}>
            {list.tasks.map((task) => (
              <TaskRow key={task.id} task={task} busy={busy} onRetry={retry} onDelete={setDeleting} />
            ))}
          </ul>
        )}
        {list && (
          <Pagination page={page} totalPages={list.totalPages} onPage={(next) => change({ page: next })} />
        )}
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete this task?"
        detail={`“${deleting?.description ?? ''}” goes, with its conversation and screenshots. This cannot be undone.`}
        confirmLabel="Delete the task"
        cancelLabel="Keep it"
        onConfirm={confirmDelete}
        onCancel={() => setDeleting(undefined)}
      />
    </div>
  );
}
