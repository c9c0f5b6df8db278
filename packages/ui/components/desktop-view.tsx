'use client';

import { useEffect, useState } from 'react';
import { api } from '../lib/api';

interface LiveViewTarget {
  /** The VNC password, for noVNC (in the URL's fragment, which no server sees). */
  password: string;
  /** noVNC's `path`: the websocket on this UI's server. */
  websocket: string;
}

/** The UI server's own desktop (BYTEBOTD_URL), or one of the fleet's through the agent. */
async function readLiveView(desktopId: string | undefined): Promise<LiveViewTarget> {
  if (desktopId === undefined) {
    const response = await fetch('/api/live-view', { cache: 'no-store' });
    if (!response.ok) throw new Error(`the desktop answered ${response.status}`);
    const body = (await response.json()) as { password: string | null };
    return { password: body.password ?? '', websocket: 'websockify' };
  }
  const { password } = await api.desktopLiveView(desktopId);
  return {
    password: password ?? '',
    websocket: `api/agent/desktops/${encodeURIComponent(desktopId)}/websockify`,
  };
}

/**
 * A live desktop through noVNC, served and proxied by the UI's own server (which adds the token): the UI
 * server's own desktop, or with `desktopId` any desktop of the fleet, through the agent, which reaches it.
 * The VNC password comes from the servers too. View-only unless `interactive`; switching reconnects the
 * viewer, which takes about a second.
 */
export function DesktopView({
  interactive,
  title,
  desktopId,
}: {
  interactive: boolean;
  title: string;
  desktopId?: string;
}) {
  const [target, setTarget] = useState<LiveViewTarget | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let current = true;
    setTarget(undefined);
    setError(undefined);
    readLiveView(desktopId).then(
      (found) => current && setTarget(found),
      (caught: Error) => current && setError(`The live view is unavailable: ${caught.message}`),
    );
    return () => {
      current = false;
    };
  }, [desktopId]);

  const source = target
    ? `/novnc/vnc.html?autoconnect=1&resize=scale&path=${encodeURIComponent(target.websocket)}&view_only=${interactive ? 0 : 1}#password=${encodeURIComponent(target.password)}`
    : undefined;
  return (
    <div className={`desktop-view ${interactive ? 'interactive' : 'view-only'}`}>
      {source === undefined ? (
        <div className="desktop-frame desktop-placeholder">
          <p role={error ? 'alert' : 'status'}>{error ?? 'Connecting to the desktop…'}</p>
        </div>
      ) : (
        <iframe key={source} src={source} title={title} className="desktop-frame" />
      )}
      <p className="desktop-caption">
        {interactive ? 'You control the desktop.' : 'Watching: the desktop is view-only.'}
      </p>
    </div>
  );
}
