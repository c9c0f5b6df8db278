'use client';

import { useEffect, useRef } from 'react';

/**
 * A question that needs a yes before something is lost. A modal dialog: focus starts on the safe answer,
 * Esc means no, and the browser returns focus to the button that asked.
 */
export function ConfirmDialog({
  open,
  title,
  detail,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  detail: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="confirm card"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-detail"
      onClose={onCancel}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-detail">{detail}</p>
      <div className="controls">
        {/* biome-ignore lint/a11y/noAutofocus: a dialog puts focus on its safe answer. */}
        <button type="button" autoFocus onClick={() => dialog.current?.close()}>
          {cancelLabel}
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
