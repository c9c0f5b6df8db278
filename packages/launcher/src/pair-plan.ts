import { createServer } from 'node:net';
import { type BytebotEnvironment, ConfigurationError } from '@bytebot/config';
import { desktopUserName, isDisplayFree } from '@bytebot/desktop';

/** Where one desktop+agent pair of `npm start` runs, and who it is in the fleet. */
export interface PairPlan {
  /** 1, 2, ...: pair 1 is the one the UI talks to and shows. */
  index: number;
  display: string;
  bytebotdPort: number;
  vncPort: number;
  agentPort: number;
  bytebotdUrl: string;
  agentUrl: string;
  /** BYTEBOT_DESKTOP_ID for its agent; undefined leaves the variable as it is (one pair). */
  desktopId: string | undefined;
  /** BYTEBOT_AGENT_ID for its agent; undefined leaves it as it is, or unset (an id made per process). */
  agentId: string | undefined;
  /** BYTEBOT_DESKTOP_USER for its desktop (as root, pairs 2 and up); undefined leaves it as it is. */
  desktopUser: string | undefined;
}

export interface PairPlanOptions {
  desktops: number;
  environment: BytebotEnvironment;
  /** The raw variables: BYTEBOT_DESKTOP_ID, BYTEBOT_AGENT_ID and BYTEBOT_DESKTOP_USER. */
  source: Record<string, string | undefined>;
  uiPort: number;
  isRoot: boolean;
  /** Whether nothing listens on the port (at the host given); a bind attempt by default. */
  isPortFree?: (port: number, host: string) => Promise<boolean>;
  /** Whether no X server holds the display number; its lock file and socket by default. */
  isDisplayFree?: (displayNumber: number) => boolean;
}

/** Pair k's ports start this far above pair 1's: 9990/9991 for pair 1, 10000/10001 for pair 2, ... */
export const pairPortStride = 10;

export function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, host, () => server.close(() => resolvePromise(true)));
  });
}

/**
 * One pair: exactly what the environment says, as `npm start` always did. Several: pair 1 keeps the
 * configured display and ports, and each further pair takes the next free display and ports
 * `pairPortStride` apart (the next free one when that is taken), so the addresses are easy to guess and
 * stay the same from one start to the next on a quiet machine.
 */
export async function planPairs(options: PairPlanOptions): Promise<PairPlan[]> {
  const { desktops, environment, source } = options;
  const first: PairPlan = {
    index: 1,
    display: environment.display,
    bytebotdPort: environment.bytebotdPort,
    vncPort: environment.vncPort,
    agentPort: environment.agentPort,
    bytebotdUrl: environment.bytebotdUrl,
    agentUrl: environment.agentUrl,
    desktopId: undefined,
    agentId: undefined,
    desktopUser: undefined,
  };
  if (desktops <= 1) return [first];

  for (const [variable, port] of [
    ['BYTEBOTD_PORT', environment.bytebotdPort],
    ['AGENT_PORT', environment.agentPort],
  ] as const) {
    // Port 0 lets the OS choose: the agent would not know where its bytebotd listens.
    if (port === 0) throw new ConfigurationError(variable, 'expected a fixed port with --desktops, got 0');
  }
  const portFree = options.isPortFree ?? canBind;
  const displayFree = options.isDisplayFree ?? isDisplayFree;
  const taken = new Set([first.bytebotdPort, first.agentPort, first.vncPort, options.uiPort]);
  const nextPort = async (from: number, host: string): Promise<number> => {
    for (let port = from; port <= 65535; port += 1) {
      if (!taken.has(port) && (await portFree(port, host))) {
        taken.add(port);
        return port;
      }
    }
    throw new ConfigurationError('--desktops', `no free port from ${from} up for another pair`);
  };
  // A desktop's display of its own: the fixed one of pair 1, then the next numbers no X server holds.
  let displayNumber = Number(environment.display.slice(1));
  const nextDisplay = (): string => {
    for (let tries = 0; tries < 1000; tries += 1) {
      displayNumber += 1;
      if (displayFree(displayNumber)) return `:${displayNumber}`;
    }
    throw new ConfigurationError('--desktops', `no free X display above ${environment.display}`);
  };

  const userPrefix = source.BYTEBOT_DESKTOP_USER?.trim() || desktopUserName;
  const laterPair = async (index: number): Promise<PairPlan> => {
    const offset = (index - 1) * pairPortStride;
    const bytebotdPort = await nextPort(first.bytebotdPort + offset, environment.host);
    const agentPort = await nextPort(first.agentPort + offset, environment.host);
    // x11vnc listens on 127.0.0.1 only; 0 still means a free port picked by the desktop.
    const vncPort = first.vncPort === 0 ? 0 : await nextPort(first.vncPort + index - 1, '127.0.0.1');
    return {
      index,
      display: nextDisplay(),
      bytebotdPort,
      vncPort,
      agentPort,
      bytebotdUrl: `http://127.0.0.1:${bytebotdPort}`,
      agentUrl: `http://127.0.0.1:${agentPort}`,
      desktopId: undefined,
      agentId: undefined,
      // As root each desktop has an account and home of its own: the files one task writes, and Firefox's
      // profile, are not another desktop's.
      desktopUser: options.isRoot ? `${userPrefix}-${index}` : undefined,
    };
  };

  const idPrefix = source.BYTEBOT_DESKTOP_ID?.trim() || 'desktop';
  const agentPrefix = source.BYTEBOT_AGENT_ID?.trim();
  const pairs: PairPlan[] = [];
  for (let index = 1; index <= desktops; index += 1) {
    const pair = index === 1 ? first : await laterPair(index);
    pairs.push({
      ...pair,
      desktopId: `${idPrefix}-${index}`,
      agentId: agentPrefix ? `${agentPrefix}-${index}` : undefined,
    });
  }
  return pairs;
}
