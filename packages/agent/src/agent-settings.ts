import { ConfigurationError } from '@bytebot/config';
import { fleetIdPattern } from '@bytebot/protocol';
import type { TaskRunnerOptions } from './loop/task-runner.ts';

type Source = Record<string, string | undefined>;

function readWholeNumber(source: Source, variable: string, fallback: number, minimum: number): number {
  const text = source[variable]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    throw new ConfigurationError(variable, `expected a whole number of at least ${minimum}, got "${text}"`);
  }
  return value;
}

/** The model loop's settings, each overridable through the environment (README.md lists them). */
export function readLoopSettings(source: Source = process.env): TaskRunnerOptions {
  return {
    // Current models think before they answer, and the thinking counts against this cap.
    maxOutputTokens: readWholeNumber(source, 'BYTEBOT_MAX_OUTPUT_TOKENS', 16_384, 1024),
    keepScreenshots: readWholeNumber(source, 'BYTEBOT_KEEP_SCREENSHOTS', 3, 1),
    summarizeAboveTokens: readWholeNumber(source, 'BYTEBOT_SUMMARIZE_ABOVE_TOKENS', 120_000, 1_000),
    pausePollMs: 250,
    modelRetryMs: readWholeNumber(source, 'BYTEBOT_MODEL_RETRY_MS', 5000, 1),
    modelRetryMaxMs: readWholeNumber(source, 'BYTEBOT_MODEL_RETRY_MAX_MS', 60_000, 1),
  };
}

/** The fleet's settings: this pair's ids, the heartbeat, when a desktop counts as down, the queue's locks. */
export interface FleetSettings {
  /** This agent's desktop (BYTEBOT_DESKTOP_ID), or undefined for one made from bytebotd's address. */
  desktopId: string | undefined;
  /** This agent (BYTEBOT_AGENT_ID), or undefined for one made from the host name and process id. */
  agentId: string | undefined;
  /**
   * Where the fleet's other agents reach this desktop's bytebotd (BYTEBOT_DESKTOP_URL), when BYTEBOTD_URL is
   * an address only this agent can use (127.0.0.1 beside it in one pod); undefined: BYTEBOTD_URL.
   */
  desktopUrl: string | undefined;
  heartbeatMs: number;
  /** A desktop whose last heartbeat is older than this is listed as down. */
  desktopDownAfterMs: number;
  /** BullMQ: how long a consumer's claim on a running task lasts without renewal. */
  queueLockMs: number;
  /** BullMQ: how often consumers look for tasks whose claim expired (their agent died). */
  queueStalledCheckMs: number;
}

function readFleetId(source: Source, variable: string): string | undefined {
  const text = source[variable]?.trim();
  if (!text) return undefined;
  if (!fleetIdPattern.test(text)) {
    throw new ConfigurationError(
      variable,
      `expected up to 100 letters, digits and . _ : - (starting with a letter or digit), got "${text.slice(0, 120)}"`,
    );
  }
  return text;
}

function readHttpUrl(source: Source, variable: string): string | undefined {
  const text = source[variable]?.trim();
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigurationError(
      variable,
      `expected an http(s) URL such as http://desktop-1:9990, got "${text.slice(0, 120)}"`,
    );
  }
  return text.replace(/\/+$/, '');
}

export function readFleetSettings(source: Source = process.env): FleetSettings {
  const heartbeatMs = readWholeNumber(source, 'BYTEBOT_HEARTBEAT_MS', 5_000, 100);
  const desktopDownAfterMs = readWholeNumber(source, 'BYTEBOT_DESKTOP_DOWN_AFTER_MS', 30_000, 1);
  // Down after less than two heartbeats, a healthy desktop would be listed down between its beats.
  if (desktopDownAfterMs < 2 * heartbeatMs) {
    throw new ConfigurationError(
      'BYTEBOT_DESKTOP_DOWN_AFTER_MS',
      `expected at least twice BYTEBOT_HEARTBEAT_MS (${2 * heartbeatMs}), got ${desktopDownAfterMs}`,
    );
  }
  return {
    desktopId: readFleetId(source, 'BYTEBOT_DESKTOP_ID'),
    agentId: readFleetId(source, 'BYTEBOT_AGENT_ID'),
    desktopUrl: readHttpUrl(source, 'BYTEBOT_DESKTOP_URL'),
    heartbeatMs,
    desktopDownAfterMs,
    // A dead agent's task moves within their sum (20 to 30 s): under the 45 s a fleet is allowed, while a
    // lock renewed every 10 s outlasts any pause of a live agent's event loop by far.
    queueLockMs: readWholeNumber(source, 'BYTEBOT_QUEUE_LOCK_MS', 20_000, 500),
    queueStalledCheckMs: readWholeNumber(source, 'BYTEBOT_QUEUE_STALLED_CHECK_MS', 10_000, 100),
  };
}
