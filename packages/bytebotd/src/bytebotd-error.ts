import type { ErrorCode } from '@bytebot/protocol';

/** The one error class of bytebotd: a code from the protocol's table, mapped to HTTP in one place. */
export class BytebotdError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: ReadonlyArray<string | number>,
  ) {
    super(message);
    this.name = 'BytebotdError';
  }
}
