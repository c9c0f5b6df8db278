import { ConfigurationError } from '@bytebot/config';

/** What the UI's own server reads from the environment, beside the shared settings of @bytebot/config. */
export interface UiSettings {
  /**
   * UI_ORIGIN: the origins a browser sees the UI at when that is not simply the address it is reached by
   * (a TLS proxy: https://bytebot.example). The agent reads the same variable for its CORS list.
   */
  origins: string[];
  login: {
    /** BYTEBOT_UI_LOGIN_LOCK_SECONDS: the first lock after `failuresBeforeLock` wrong passwords; doubles each time. */
    lockSeconds: number;
    failuresBeforeLock: number;
    /** BYTEBOT_UI_LOGIN_FAILURES_PER_MINUTE: wrong passwords a minute from all clients together. */
    failuresPerMinute: number;
  };
}

type Source = Record<string, string | undefined>;

export function readUiSettings(source: Source = process.env): UiSettings {
  return {
    origins: readOrigins(source),
    login: {
      lockSeconds: readWholeNumber(source, 'BYTEBOT_UI_LOGIN_LOCK_SECONDS', 60, 1, 86_400),
      failuresBeforeLock: 5,
      failuresPerMinute: readWholeNumber(source, 'BYTEBOT_UI_LOGIN_FAILURES_PER_MINUTE', 30, 1, 100_000),
    },
  };
}

function readOrigins(source: Source): string[] {
  const entries = (source.UI_ORIGIN ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    // An origin is scheme, host and port only: a path here would be a misunderstanding worth saying.
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
      throw new ConfigurationError(
        'UI_ORIGIN',
        `expected origins such as https://bytebot.example or http://10.0.0.5:9992, comma-separated; got "${entry}"`,
      );
    }
    return url.origin;
  });
}

function readWholeNumber(
  source: Source,
  variable: string,
  fallback: number,
  minimum: number,
  maximum: number,
) {
  const text = source[variable]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new ConfigurationError(
      variable,
      `expected a whole number from ${minimum} to ${maximum}, got "${text}"`,
    );
  }
  return value;
}
