'use client';

import { useEffect, useState } from 'react';
import type { ScreenSize } from '../components/action-overlay';
import { api } from './api';

/**
 * The screen of the desktop a task ran on (GET /desktops), whose pixels its recorded actions are in.
 * Undefined until known, or when the agent does not say: the replay then takes the screenshot's own size.
 */
export function useScreenSize(desktopId: string | null | undefined): ScreenSize | undefined {
  const [screen, setScreen] = useState<ScreenSize | undefined>();
  useEffect(() => {
    let current = true;
    api.desktops().then(
      ({ desktops }) => {
        const desktop = desktops.find((candidate) => candidate.id === desktopId && candidate.screen);
        if (current) setScreen(desktop?.screen ?? undefined);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [desktopId]);
  return screen;
}
