import { homedir } from 'node:os';
import { join } from 'node:path';

/** Every setting Bytebot reads from the environment, with its default; README.md mirrors this table. */
export interface BytebotEnvironment {
  dataDirectory: string;
  token: string | undefined;
  authenticationEnabled: boolean;
  display: string;
  screen: { width: number; height: number };
  host: string;
  bytebotdPort: number;
  vncPort: number;
  /**
   * BYTEBOT_VNC_PASSWORD: the VNC server's password (the desktop's, or for bytebotd started on its own
   * against a running desktop); a random one when unset; false for "off", a VNC server without a password.
   */
  vncPassword: string | false | undefined;
  bytebotdUrl: string;
  agentPort: number;
  agentUrl: string;
  /** PostgreSQL; undefined means the embedded PGlite in the data directory. */
  databaseUrl: string | undefined;
  /** Redis for BullMQ; undefined means the in-process queue. */
  redisUrl: string | undefined;
  /** Requests a minute per token: computer actions (bytebotd) and task creations (agent); 0 is no limit. */
  rateLimits: { actionsPerMinute: number; tasksPerMinute: number };
}

export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigurationError';
  }
}

type Source = Record<string, string | undefined>;

export function readEnvironment(source: Source = process.env): BytebotEnvironment {
  const host = source.BYTEBOT_HOST || '127.0.0.1';
  const bytebotdPort = readPort(source, 'BYTEBOTD_PORT', 9990);
  const agentPort = readPort(source, 'AGENT_PORT', 9991);
  return {
    dataDirectory: source.BYTEBOT_DATA_DIR || join(homedir(), '.bytebot'),
    token: source.BYTEBOT_TOKEN || undefined,
    authenticationEnabled: readAuthentication(source),
    display: readDisplay(source),
    screen: readScreen(source),
    host,
    bytebotdPort,
    vncPort: readPort(source, 'BYTEBOT_VNC_PORT', 5900),
    vncPassword: readVncPassword(source),
    bytebotdUrl: source.BYTEBOTD_URL || `http://127.0.0.1:${bytebotdPort}`,
    agentPort,
    agentUrl: source.AGENT_URL || `http://127.0.0.1:${agentPort}`,
    databaseUrl: readUrl(source, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: readUrl(source, 'REDIS_URL', ['redis:', 'rediss:']),
    rateLimits: {
      actionsPerMinute: readCount(source, 'BYTEBOT_RATE_LIMIT_ACTIONS', 3000),
      tasksPerMinute: readCount(source, 'BYTEBOT_RATE_LIMIT_TASKS', 60),
    },
  };
}

/**
 * "off" is a VNC server without a password, for VNC clients that cannot send ours (the original Bytebot UI's
 * live view). The VNC server still listens on 127.0.0.1 only, and bytebotd's /websockify still needs the token.
 */
function readVncPassword(source: Source): string | false | undefined {
  const value = source.BYTEBOT_VNC_PASSWORD;
  if (!value) return undefined;
  return value.trim().toLowerCase() === 'off' ? false : value;
}

function readAuthentication(source: Source): boolean {
  const value = (source.BYTEBOT_AUTH ?? 'on').trim().toLowerCase();
  if (value === 'off' || value === 'false' || value === '0') return false;
  if (value === 'on' || value === 'true' || value === '1' || value === '') return true;
  throw new ConfigurationError('BYTEBOT_AUTH', `expected "on" or "off", got "${source.BYTEBOT_AUTH}"`);
}

function readDisplay(source: Source): string {
  const display = source.BYTEBOT_DISPLAY || ':99';
  if (!/^:\d+$/.test(display)) {
    throw new ConfigurationError(
      'BYTEBOT_DISPLAY',
      `expected a local display such as ":99", got "${display}"`,
    );
  }
  return display;
}

function readScreen(source: Source): { width: number; height: number } {
  const text = source.BYTEBOT_SCREEN || '1280x960';
  const match = /^(\d{3,5})x(\d{3,5})$/.exec(text);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 320 || height < 240 || width > 7680 || height > 4320) {
    throw new ConfigurationError(
      'BYTEBOT_SCREEN',
      `expected WIDTHxHEIGHT between 320x240 and 7680x4320, got "${text}"`,
    );
  }
  return { width, height };
}

function readPort(source: Source, variable: string, fallback: number): number {
  const text = source[variable];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(variable, `expected a port number from 0 to 65535, got "${text}"`);
  }
  return port;
}

function readUrl(source: Source, variable: string, protocols: string[]): string | undefined {
  const text = source[variable]?.trim();
  if (!text) return undefined;
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    throw new ConfigurationError(
      variable,
      `expected a URL such as ${protocols[0]}//host:port/..., got something else`,
    );
  }
  if (!protocols.includes(protocol)) {
    throw new ConfigurationError(variable, `expected a ${protocols.join(' or ')} URL, got "${protocol}"`);
  }
  return text;
}

function readCount(source: Source, variable: string, fallback: number): number {
  const text = source[variable]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigurationError(
      variable,
      `expected a whole number a minute (0 for no limit), got "${text}"`,
    );
  }
  return value;
}
