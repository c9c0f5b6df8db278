'use client';

import { useEffect, useState } from 'react';

/**
 * The live desktop through noVNC, served and proxied by the UI's own server (which adds the token). The
 * VNC password comes from the server too and goes to the viewer in the URL's fragment, which no server
 * sees. View-only unless `interactive`; switching reconnects the viewer, which takes about a second.
 */
export function DesktopView({ interactive, title }: { interactive: boolean; title: string }) {
  const [password, setPassword] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    fetch('/api/live-view', { cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) throw new Error(`the desktop answered ${response.status}`);
        const body = (await response.json()) as { password: string | null };
        setPassword(body.password ?? '');
      })
      .catch((caught: Error) => setError(`The live view is unavailable: ${caught.message}`));
  }, []);

  const source = `/novnc/vnc.html?autoconnect=1&resize=scale&path=websockify&view_only=${interactive ? 0 : 1}#password=${encodeURIComponent(password ?? '')}`;
  return (
    <div className={`desktop-view ${interactive ? 'interactive' : 'view-only'}`}>
      {password === undefined ? (
        <div className="desktop-frame desktop-placeholder">{error ?? 'Connecting to the desktop…'}</div>
      ) : (
        <iframe key={source} src={source} title={title} className="desktop-frame" />
      )}
      <p className="desktop-caption">
        {interactive ? 'You control the desktop.' : 'Watching: the desktop is view-only.'}
      </p>
    </div>
  );
}
