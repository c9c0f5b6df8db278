'use client';

import { useEffect, useState } from 'react';
import { api } from './api';

/** The descriptions of the tasks named, each read once (a desktop's task keeps its words). */
export function useTaskDescriptions(taskIds: Array<string | null>): Map<string, string> {
  const [descriptions, setDescriptions] = useState(() => new Map<string, string>());
  // A read that failed (the agent busy or restarting) is tried again a little later, not left as an id.
  const [retries, setRetries] = useState(0);
  const wanted = [...new Set(taskIds.filter((id): id is string => id !== null))].sort().join(',');

  // Only a new set of tasks is read; what is known stays known.
  // biome-ignore lint/correctness/useExhaustiveDependencies: descriptions is what this fills.
  useEffect(() => {
    let current = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    for (const id of wanted === '' ? [] : wanted.split(',')) {
      if (descriptions.has(id)) continue;
      api.getTask(id).then(
        (task) => {
          if (current) setDescriptions((known) => new Map(known).set(id, task.description));
        },
        () => {
          if (current) retry = setTimeout(() => setRetries((count) => count + 1), 3000);
        },
      );
    }
    return () => {
      current = false;
      clearTimeout(retry);
    };
  }, [wanted, retries]);

  return descriptions;
}
