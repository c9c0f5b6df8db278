import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

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

/** A variable unset or empty takes its default, as `${NAME:-default}` does in a shell. */
function withDefault<Schema extends z.ZodType>(fallback: string, schema: Schema, options = { trim: false }) {
  return z.preprocess((value) => {
    const text = typeof value === 'string' && options.trim ? value.trim() : value;
    return text === undefined || text === '' ? fallback : text;
  }, schema);
}

/**
 * A text read by `read`, which gives undefined for a value it refuses: the message then says what was
 * `expected` and quotes what was set.
 */
function textAs<Value>(read: (text: string) => Value | undefined, expected: string) {
  return z.string().transform((text, context) => {
    const value = read(text);
    if (value !== undefined) return value;
    context.addIssue({ code: 'custom', message: `expected ${expected}, got "${text}"`, input: text });
    return z.NEVER;
  });
}

const port = textAs((text) => {
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : undefined;
}, 'a port number from 0 to 65535');

const perMinute = textAs((text) => {
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}, 'a whole number a minute (0 for no limit)');

const authentication = textAs((text) => {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'false' || value === '0') return false;
  if (value === 'on' || value === 'true' || value === '1' || value === '') return true;
  return undefined;
}, '"on" or "off"');

const display = textAs((text) => (/^:\d+$/.test(text) ? text : undefined), 'a local display such as ":99"');

const screen = textAs((text) => {
  const match = /^(\d{3,5})x(\d{3,5})$/.exec(text);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  return match && width >= 320 && height >= 240 && width <= 7680 && height <= 4320
    ? { width, height }
    : undefined;
}, 'WIDTHxHEIGHT between 320x240 and 7680x4320');

/**
 * A URL with one of `protocols`, kept as written (trimmed); unset or blank is undefined, the feature off.
 * The message does not quote a URL that does not parse: it may hold a password.
 */
function urlOf(protocols: string[]) {
  const url = z.string().superRefine((text, context) => {
    let protocol: string;
    try {
      protocol = new URL(text).protocol;
    } catch {
      context.addIssue({
        code: 'custom',
        message: `expected a URL such as ${protocols[0]}//host:port/..., got something else`,
      });
      return;
    }
    if (!protocols.includes(protocol)) {
      context.addIssue({
        code: 'custom',
        message: `expected a ${protocols.join(' or ')} URL, got "${protocol}"`,
      });
    }
  });
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() || undefined : value),
    url.optional(),
  );
}

/** Unset or empty is undefined. */
const optionalText = z
  .string()
  .optional()
  .transform((text) => text || undefined);

/**
 * Every environment variable Bytebot reads, with its default and what it accepts; other variables are
 * ignored. The output is the settings object.
 */
export const environmentSchema = z
  .object({
    BYTEBOT_DATA_DIR: optionalText,
    BYTEBOT_TOKEN: optionalText,
    BYTEBOT_AUTH: withDefault('on', authentication),
    BYTEBOT_DISPLAY: withDefault(':99', display),
    BYTEBOT_SCREEN: withDefault('1280x960', screen),
    BYTEBOT_HOST: withDefault('127.0.0.1', z.string()),
    BYTEBOTD_PORT: withDefault('9990', port),
    BYTEBOT_VNC_PORT: withDefault('5900', port),
    /**
     * "off" is a VNC server without a password, for VNC clients that cannot send ours (the original Bytebot
     * UI's live view). The VNC server still listens on 127.0.0.1 only, and bytebotd's /websockify still
     * needs the token.
     */
    BYTEBOT_VNC_PASSWORD: optionalText.transform((text) =>
      text !== undefined && text.trim().toLowerCase() === 'off' ? false : text,
    ),
    BYTEBOTD_URL: optionalText,
    AGENT_PORT: withDefault('9991', port),
    AGENT_URL: optionalText,
    DATABASE_URL: urlOf(['postgres:', 'postgresql:']),
    REDIS_URL: urlOf(['redis:', 'rediss:']),
    BYTEBOT_RATE_LIMIT_ACTIONS: withDefault('3000', perMinute, { trim: true }),
    BYTEBOT_RATE_LIMIT_TASKS: withDefault('60', perMinute, { trim: true }),
  })
  .transform(
    (variables): BytebotEnvironment => ({
      dataDirectory: variables.BYTEBOT_DATA_DIR ?? join(homedir(), '.bytebot'),
      token: variables.BYTEBOT_TOKEN,
      authenticationEnabled: variables.BYTEBOT_AUTH,
      display: variables.BYTEBOT_DISPLAY,
      screen: variables.BYTEBOT_SCREEN,
      host: variables.BYTEBOT_HOST,
      bytebotdPort: variables.BYTEBOTD_PORT,
      vncPort: variables.BYTEBOT_VNC_PORT,
      vncPassword: variables.BYTEBOT_VNC_PASSWORD,
      bytebotdUrl: variables.BYTEBOTD_URL ?? `http://127.0.0.1:${variables.BYTEBOTD_PORT}`,
      agentPort: variables.AGENT_PORT,
      agentUrl: variables.AGENT_URL ?? `http://127.0.0.1:${variables.AGENT_PORT}`,
      databaseUrl: variables.DATABASE_URL,
      redisUrl: variables.REDIS_URL,
      rateLimits: {
        actionsPerMinute: variables.BYTEBOT_RATE_LIMIT_ACTIONS,
        tasksPerMinute: variables.BYTEBOT_RATE_LIMIT_TASKS,
      },
    }),
  );

/**
 * The settings, or a ConfigurationError naming the first wrong variable and what it expected, followed by
 * every other wrong one: one start shows them all.
 */
export function readEnvironment(source: Source = process.env): BytebotEnvironment {
  const parsed = environmentSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const [first, ...others] = parsed.error.issues;
  const variable = String(first?.path[0]);
  const rest = others.map((issue) => `; ${String(issue.path[0])}: ${issue.message}`).join('');
  throw new ConfigurationError(variable, `${first?.message}${rest}`);
}
