import type { Upstream } from './proxy.ts';

export interface UiStatus {
  agent: 'ok' | 'unreachable' | 'unauthorized';
  desktop: 'ok' | 'unavailable' | 'unreachable';
  models: string[];
}

async function getJson(
  upstream: Upstream,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, upstream.url), {
    headers: upstream.token ? { authorization: `Bearer ${upstream.token}` } : {},
    signal: AbortSignal.timeout(3_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What the pages show as banners: whether the agent and the desktop answer, and which models exist. */
export async function readStatus(agent: Upstream, bytebotd: Upstream): Promise<UiStatus> {
  const desktop = await getJson(bytebotd, '/health').then(
    ({ body }) => (body.status === 'ok' ? 'ok' : 'unavailable') as UiStatus['desktop'],
    () => 'unreachable' as const,
  );
  try {
    const models = await getJson(agent, '/tasks/models');
    if (models.status === 401) return { agent: 'unauthorized', desktop, models: [] };
    const list = Array.isArray(models.body) ? (models.body as Array<{ name: string }>) : [];
    return { agent: 'ok', desktop, models: list.map((model) => model.name) };
  } catch {
    return { agent: 'unreachable', desktop, models: [] };
  }
}
