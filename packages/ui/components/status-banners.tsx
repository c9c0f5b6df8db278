'use client';

import { useEffect, useState } from 'react';
import { api, type UiStatus } from '../lib/api';

/** Says plainly what does not work: the agent, the desktop, or no model to run tasks with. */
export function StatusBanners({ refreshKey }: { refreshKey?: unknown }) {
  const [status, setStatus] = useState<UiStatus | undefined>();
  const [serverDown, setServerDown] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the signal to look again.
  useEffect(() => {
    api.status().then(
      (next) => {
        setStatus(next);
        setServerDown(false);
      },
      () => setServerDown(true),
    );
  }, [refreshKey]);

  const banners: Array<{ id: string; text: string }> = [];
  if (serverDown)
    banners.push({ id: 'server', text: 'The Bytebot server cannot be reached. Is it running?' });
  if (status?.agent === 'unreachable') {
    banners.push({
      id: 'agent',
      text: 'The agent is unreachable: tasks cannot be created or run. Start it with npm run start:agent.',
    });
  }
  if (status?.agent === 'unauthorized') {
    banners.push({
      id: 'agent',
      text: 'The agent refused the UI server’s token: start both with the same BYTEBOT_TOKEN.',
    });
  }
  if (status && status.desktop !== 'ok') {
    banners.push({
      id: 'desktop',
      text: 'The desktop is unreachable: tasks will wait. Start it with npm run start:desktop.',
    });
  }
  if (status?.agent === 'ok' && status.models.length === 0) {
    banners.push({
      id: 'model',
      text: 'No model is configured: set ANTHROPIC_API_KEY for the agent and restart it. Tasks fail until then.',
    });
  }
  if (banners.length === 0) return null;
  return (
    <div className="banners">
      {banners.map((banner) => (
        <p key={banner.id} className="banner" role="alert" data-banner={banner.id}>
          {banner.text}
        </p>
      ))}
    </div>
  );
}
