export {
  type Authorize,
  createAuthorize,
  createTokenCheck,
  presentedToken,
  rateLimitKey,
  type TokenCheck,
} from './authorize.ts';
export { type BytebotEnvironment, ConfigurationError, readEnvironment } from './environment.ts';
export { createLogger, type Logger, redact } from './logger.ts';
export { makeDataDirectoryPrivate } from './private-data-directory.ts';
export { RateLimiter } from './rate-limiter.ts';
export { ensureSecretFile, readSecretFile } from './secret-file.ts';
export { ensureToken, readToken, tokenFilePath } from './token.ts';
