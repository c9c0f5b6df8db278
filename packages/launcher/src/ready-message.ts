import type { PairPlan } from './pair-plan.ts';

/** What `npm start` prints once everything answers: where to go, and with several pairs where each runs. */
export function readyMessage(options: { pairs: PairPlan[]; uiUrl: string; tokenHint: string }): string {
  const { pairs, uiUrl, tokenHint } = options;
  const first = pairs[0] as PairPlan;
  if (pairs.length === 1) {
    return [
      '',
      `Bytebot is ready: open ${uiUrl}`,
      `  agent API ${first.agentUrl}   bytebotd ${first.bytebotdUrl}`,
      `  ${tokenHint}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n');
  }
  const rows = pairs.map((pair) =>
    [
      `  ${(pair.desktopId ?? '').padEnd(12)}`,
      `display ${pair.display.padEnd(5)}`,
      `bytebotd ${pair.bytebotdUrl.padEnd(23)}`,
      `agent API ${pair.agentUrl.padEnd(23)}`,
      `VNC 127.0.0.1:${pair.vncPort}`,
    ].join('  '),
  );
  return [
    '',
    `Bytebot is ready with ${pairs.length} desktops: open ${uiUrl}`,
    `  the UI talks to agent 1 and sees every desktop and task; tasks run on whichever desktop is free`,
    ...rows,
    `  ${tokenHint}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
