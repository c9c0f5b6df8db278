'use client';

import type { TaskCounts } from '@bytebot/protocol';
import { type KeyboardEvent, useRef } from 'react';
import { type TaskTabKey, tabCount, taskTabs } from '../lib/task-tabs';

export const taskListPanelId = 'task-list-panel';

/**
 * The status tabs of the task list, each with its live count. Arrow keys move between them (and choose),
 * as a tab list does; the counts are words, and the chosen tab is marked by more than its colour.
 */
export function StatusTabs({
  chosen,
  counts,
  onChoose,
}: {
  chosen: TaskTabKey;
  counts: TaskCounts | undefined;
  onChoose: (key: TaskTabKey) => void;
}) {
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  function move(event: KeyboardEvent, index: number) {
    const last = taskTabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    const tab = taskTabs[next];
    if (!tab) return;
    onChoose(tab.key);
    buttons.current[next]?.focus();
  }
  return (
    <div className="status-tabs" role="tablist" aria-label="Tasks by status">
      {taskTabs.map((tab, index) => {
        const selected = tab.key === chosen;
        return (
          <button
            key={tab.key}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.key}`}
            data-tab={tab.key}
            aria-selected={selected}
            aria-controls={taskListPanelId}
            tabIndex={selected ? 0 : -1}
            className={selected ? 'tab tab-selected' : 'tab'}
            onClick={() => onChoose(tab.key)}
            onKeyDown={(event) => move(event, index)}
          >
            {tab.label}{' '}
            <span className="tab-count" data-count={tab.key}>
              {counts ? tabCount(tab, counts) : '…'}
            </span>
          </button>
        );
      })}
    </div>
  );
}
