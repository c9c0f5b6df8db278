'use client';

import { type TaskPriority, taskFileLimits, taskPriorities } from '@bytebot/protocol';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, readFileAsBase64 } from '../lib/api';
import { formatBytes } from '../lib/format';
import { isSendKey } from '../lib/send-key';
import { AttachmentChips } from './attachment-chips';
import { defaultModelName, ModelPicker, useAgentModels } from './model-picker';

const limitText = `Up to ${taskFileLimits.maxFiles} files, ${formatBytes(taskFileLimits.maxFileBytes)} each, ${formatBytes(taskFileLimits.maxTotalBytes)} in all.`;

function listNames(files: File[]): string {
  const names = files.map((file) => file.name);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Adds chosen files to those kept, checked against the agent's limits before anything is sent. */
function addFiles(kept: File[], chosen: File[]): { files: File[]; refused: string | undefined } {
  const files = [...kept];
  const refused: string[] = [];
  for (const file of chosen) {
    const total = files.reduce((sum, item) => sum + item.size, 0) + file.size;
    if (file.size > taskFileLimits.maxFileBytes) refused.push(`${file.name} is ${formatBytes(file.size)}`);
    else if (files.length >= taskFileLimits.maxFiles) refused.push(`${file.name} is one file too many`);
    else if (total > taskFileLimits.maxTotalBytes) refused.push(`${file.name} would pass the total`);
    else files.push(...(files.some((item) => item.name === file.name) ? [] : [file]));
  }
  return {
    files,
    refused: refused.length > 0 ? `Not attached: ${refused.join('; ')}. ${limitText}` : undefined,
  };
}

/** The task box: what to do, its priority and model, files to put on the desktop, and Enter to start. */
export function NewTaskForm() {
  const router = useRouter();
  const models = useAgentModels();
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TaskPriority>('MEDIUM');
  const [model, setModel] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const textArea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (models && model === '') setModel(defaultModelName(models));
  }, [models, model]);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (sending) return;
    if (description.trim() === '') {
      setError('Describe the task first.');
      textArea.current?.focus();
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      const attachments = await Promise.all(
        files.map(async (file) => ({
          name: file.name,
          type: file.type || 'application/octet-stream',
          size: file.size,
          base64: await readFileAsBase64(file),
        })),
      );
      const task = await api.createTask({
        description: description.trim(),
        priority,
        ...(model ? { model } : {}),
        ...(attachments.length > 0 ? { files: attachments } : {}),
      });
      router.push(`/tasks/${task.id}`);
    } catch (caught) {
      setError((caught as Error).message);
      setSending(false);
    }
  }

  return (
    <form className="card new-task" onSubmit={submit} aria-label="New task">
      <label htmlFor="task-description" className="label">
        What should Bytebot do?
      </label>
      <textarea
        ref={textArea}
        id="task-description"
        name="description"
        rows={4}
        placeholder="e.g. Download last month's invoices from the downloads folder and rename them by date"
        aria-describedby="task-description-keys"
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        onKeyDown={(event) => {
          if (!isSendKey(event)) return;
          event.preventDefault();
          void submit();
        }}
      />
      <p id="task-description-keys" className="hint">
        Enter starts the task; Shift+Enter adds a line.
      </p>
      <div className="form-row">
        <label>
          Priority
          <select
            name="priority"
            value={priority}
            onChange={(event) => setPriority(event.target.value as TaskPriority)}
          >
            {taskPriorities.map((value) => (
              <option key={value} value={value}>
                {value.charAt(0) + value.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <ModelPicker models={models} value={model} onChange={setModel} />
        <div className="file-input">
          <input
            ref={fileInput}
            id="task-files"
            type="file"
            name="files"
            multiple
            className="visually-hidden"
            aria-describedby="task-files-limit"
            onChange={(event) => {
              const { files: kept, refused } = addFiles(files, Array.from(event.target.files ?? []));
              setFiles(kept);
              setError(refused);
              // Chosen files live in the chips; the input is emptied so the same file can be chosen again.
              event.target.value = '';
            }}
          />
          {/* After the input: its focus ring is drawn on this label (input:focus-visible + label). */}
          <label htmlFor="task-files" className="button">
            Attach files
          </label>
          <span id="task-files-limit" className="hint">
            {limitText}
          </span>
        </div>
        <button type="submit" className="primary" disabled={sending}>
          {sending ? 'Starting…' : 'Start task'}
        </button>
      </div>
      <AttachmentChips
        files={files}
        onRemove={(file) => {
          setFiles(files.filter((item) => item !== file));
          // The chip and its button are gone: focus goes back to where files are chosen.
          fileInput.current?.focus();
        }}
      />
      {files.length > 0 && (
        <p className="hint">{listNames(files)} will be placed on the desktop (~/Desktop) for the task.</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
