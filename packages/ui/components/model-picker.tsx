'use client';

import type { AgentModel } from '@bytebot/protocol';
import { useEffect, useState } from 'react';
import { api } from '../lib/api';

/** The models the agent offers, its default first chosen; undefined while loading, [] when none. */
export function useAgentModels(): AgentModel[] | undefined {
  const [models, setModels] = useState<AgentModel[] | undefined>();
  useEffect(() => {
    api.models().then(setModels, () => setModels([]));
  }, []);
  return models;
}

export function defaultModelName(models: readonly AgentModel[]): string {
  return (models.find((model) => model.default) ?? models[0])?.name ?? '';
}

/** Always shown, so a person sees which model will run the task before it starts. */
export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: AgentModel[] | undefined;
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <label>
      Model
      <select
        name="model"
        value={value}
        disabled={!models || models.length === 0}
        onChange={(event) => onChange(event.target.value)}
      >
        {!models && <option value="">Loading models…</option>}
        {models?.length === 0 && <option value="">No model configured</option>}
        {models?.map((model) => (
          <option key={model.name} value={model.name}>
            {model.title || model.name}
            {model.default ? ' (default)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
