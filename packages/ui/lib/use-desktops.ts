'use client';

import type { Desktop } from '@bytebot/protocol';
import { useEffect, useState } from 'react';
import { api } from './api';

export interface DesktopsNow {
  /** Undefined until the first answer. */
  desktops: Desktop[] | undefined;
  /** When the list was read, for "last seen ... ago". */
  readAt: number;
  error: string | undefined;
}

/**
 * The fleet's desktops (GET /desktops), read again every `intervalMs` while the page is in view: a
 * heartbeat has no event of its own, so this is the one list of the UI that polls.
 */
export function useDesktops(intervalMs = 3_000): DesktopsNow {
  const [now, setNow] = useState<DesktopsNow>({ desktops: undefined, readAt: 0, error: undefined });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      if (document.hidden) {
        timer = setTimeout(read, intervalMs);
        return;
      }
      api
        .desktops()
        .then(
          ({ desktops }) => {
            if (!stopped) setNow({ desktops, readAt: Date.now(), error: undefined });
          },
          (caught: Error) => {
            if (!stopped) setNow((previous) => ({ ...previous, error: caught.message }));
          },
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(read, intervalMs);
        });
    };
    read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs]);

  return now;
}
