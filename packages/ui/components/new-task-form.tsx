'use client';

import type { TaskPriority } from '@bytebot/protocol';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api, readFileAsBase64 } from '../lib/api';
import { useModels } from './status-banners';

const priorities: TaskPriority[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

export function NewTaskForm() {
  const router = useRouter();
  const models = useModels();
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<TaskPriority>('MEDIUM');
  const [model, setModel] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (description.trim() === '') {
      setError('Describe the task first.');
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
    <form className="card new-task" onSubmit={submit}>
      <label htmlFor="task-description" className="label">
        What should Bytebot do?
      </label>
      <textarea
        id="task-description"
        name="description"
        rows={4}
        placeholder="e.g. Download last month's invoices from the downloads folder and rename them by date"
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void submit(event);
        }}
      />
      <div className="form-row">
        <label>
          Priority
          <select
            name="priority"
            value={priority}
            onChange={(event) => setPriority(event.target.value as TaskPriority)}
          >
            {priorities.map((value) => (
              <option key={value} value={value}>
                {value.charAt(0) + value.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        {models.length > 1 && (
          <label>
            Model
            <select name="model" value={model} onChange={(event) => setModel(event.target.value)}>
              <option value="">Default</option>
              {models.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="file-input">
          Files
          <input
            type="file"
            name="files"
            multiple
            onChange={(event) => setFiles(Array.from(event.target.files ?? []))}
          />
        </label>
        <button type="submit" className="primary" disabled={sending}>
          {sending ? 'Starting…' : 'Start task'}
        </button>
      </div>
      {files.length > 0 && (
        <p className="hint">
          {files.map((file) => file.name).join(', ')} will be placed on the desktop (~/Desktop) for the task.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
