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
export {
  type HeldLock,
  isHolderRunning,
  isLockStale,
  type LockAttempt,
  type LockHolder,
  readLockHolder,
  tryLockFile,
} from './pid-lock-file.ts';
export { makeDataDirectoryPrivate } from './private-data-directory.ts';
export { RateLimiter } from './rate-limiter.ts';
export {
  type BodyLimits,
  type JsonBodyOptions,
  RequestBodyError,
  type RequestBodyErrorCode,
  readJsonBody,
  readRequestBody,
} from './request-body.ts';
export { ensureSecretFile, readSecretFile } from './secret-file.ts';
export { ensureToken, readToken, tokenFilePath } from './token.ts';
