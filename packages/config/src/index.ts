export { type BytebotEnvironment, ConfigurationError, readEnvironment } from './environment.ts';
export { ensureToken, readToken, tokenFilePath } from './token.ts';
