'use client';

import { useEffect, useRef } from 'react';

export interface OpenedScreenshot {
  url: string;
  description: string;
}

/**
 * A screenshot full size, in a modal dialog: Esc, the Close button or a click beside the picture close
 * it, and the browser returns focus to the thumbnail that opened it.
 */
export function ScreenshotDialog({
  screenshot,
  onClose,
}: {
  screenshot: OpenedScreenshot | undefined;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (screenshot && !element.open) element.showModal();
    if (!screenshot && element.open) element.close();
  }, [screenshot]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click beside the picture is a pointer shortcut; Esc and the Close button are the keyboard's ways.
    <dialog
      ref={dialog}
      className="lightbox"
      aria-label="Screenshot, full size"
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
    >
      {screenshot && (
        <>
          {/* biome-ignore lint/performance/noImgElement: a stored screenshot shown as it is; nothing for next/image to optimise. */}
          <img src={screenshot.url} alt={screenshot.description} />
          <button type="button" className="lightbox-close" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </>
      )}
    </dialog>
  );
}

/** A screenshot in the conversation: a thumbnail that opens full size. */
export function ScreenshotThumbnail({
  url,
  description,
  onOpen,
}: {
  url: string;
  description: string;
  onOpen: (screenshot: OpenedScreenshot) => void;
}) {
  return (
    <button type="button" className="thumbnail" onClick={() => onOpen({ url, description })}>
      {/* biome-ignore lint/performance/noImgElement: stored screenshots, nothing for next/image to optimise. */}
      <img src={url} alt={`${description}. Open full size`} loading="lazy" />
    </button>
  );
}
