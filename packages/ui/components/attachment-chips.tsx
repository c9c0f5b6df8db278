import { formatBytes } from '../lib/format';

/** The files chosen for a new task, each with its size and a button that takes it off. */
export function AttachmentChips({ files, onRemove }: { files: File[]; onRemove: (file: File) => void }) {
  if (files.length === 0) return null;
  return (
    <ul className="chips attachments" aria-label="Attached files">
      {files.map((file) => (
        <li key={`${file.name}-${file.size}-${file.lastModified}`} className="chip chip-file">
          <span className="chip-name">{file.name}</span>
          <span className="chip-size">{formatBytes(file.size)}</span>
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove ${file.name}`}
            onClick={() => onRemove(file)}
          >
            <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
