'use client';

import { useEffect, useState } from 'react';
import { desktopScreenshotUrl } from '../lib/api';

/** Wide enough for a card, small enough that a fleet's thumbnails cost little every few seconds. */
const thumbnailWidth = 320;

async function problemOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `the agent answered ${response.status}`;
}

/**
 * A desktop's screen as it is now, read again every `refreshMs` while the page is in view (none for a desktop
 * that is down). The next picture replaces the last once it has arrived, so the card never flickers empty.
 * Decorative inside its card's link, whose words name the desktop.
 */
export function DesktopThumbnail({
  desktopId,
  down,
  refreshMs = 3_000,
}: {
  desktopId: string;
  down: boolean;
  refreshMs?: number;
}) {
  const [source, setSource] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    setSource(undefined);
    setProblem(undefined);
    if (down) return;
    let stopped = false;
    let shown: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      if (!document.hidden) {
        try {
          const response = await fetch(desktopScreenshotUrl(desktopId, thumbnailWidth), {
            cache: 'no-store',
          });
          if (!response.ok) throw new Error(await problemOf(response));
          const next = URL.createObjectURL(await response.blob());
          if (stopped) {
            URL.revokeObjectURL(next);
            return;
          }
          setSource(next);
          setProblem(undefined);
          if (shown) URL.revokeObjectURL(shown);
          shown = next;
        } catch (caught) {
          if (stopped) return;
          setProblem(`No picture: ${(caught as Error).message}`);
        }
      }
      if (!stopped) timer = setTimeout(load, refreshMs);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
      if (shown) URL.revokeObjectURL(shown);
    };
  }, [desktopId, down, refreshMs]);

  return (
    <span className="desktop-thumbnail" data-thumbnail={source ? 'shown' : 'none'}>
      {source && !down ? (
        // biome-ignore lint/performance/noImgElement: a picture of a screen now, from a blob; nothing to optimise.
        <img src={source} alt="" width={thumbnailWidth} height={240} />
      ) : (
        <span className="desktop-thumbnail-empty">
          {down ? 'No picture: the desktop is down.' : (problem ?? 'Loading the picture…')}
        </span>
      )}
      {source && problem && !down && <span className="desktop-thumbnail-problem">{problem}</span>}
    </span>
  );
}
