'use client';

/**
 * The live desktop through noVNC, served and proxied by the UI's own server (which adds the token).
 * View-only unless `interactive`; switching reconnects the viewer, which takes about a second.
 */
export function DesktopView({ interactive, title }: { interactive: boolean; title: string }) {
  const source = `/novnc/vnc.html?autoconnect=1&resize=scale&path=websockify&view_only=${interactive ? 0 : 1}`;
  return (
    <div className={`desktop-view ${interactive ? 'interactive' : 'view-only'}`}>
      <iframe key={source} src={source} title={title} className="desktop-frame" />
      <p className="desktop-caption">
        {interactive ? 'You control the desktop.' : 'Watching: the desktop is view-only.'}
      </p>
    </div>
  );
}
