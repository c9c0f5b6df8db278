export interface Logger {
  debug(line: string): void;
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

const levels = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof levels)[number];

/** Bearer tokens and key-like strings never reach a log line, whatever the caller passed in. */
export function redact(line: string): string {
  return (
    line
      .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
      .replace(/([?&]token=)[^&\s]+/gi, '$1[redacted]')
      .replace(/\bsk-[A-Za-z0-9_-]{16,}/g, '[redacted]')
      // Google API keys (Gemini).
      .replace(/\bAIza[0-9A-Za-z_-]{30,}/g, '[redacted]')
      .replace(/(x-api-key|x-goog-api-key)(["']?\s*[:=]\s*["']?)[^\s"',]+/gi, '$1$2[redacted]')
  );
}

export function createLogger(name: string, minimum: Level = 'info'): Logger {
  const threshold = levels.indexOf(minimum);
  const write = (level: Level) => (line: string) => {
    if (levels.indexOf(level) < threshold) return;
    const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
    stream.write(`${new Date().toISOString()} ${level.padEnd(5)} ${name}: ${redact(line)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
