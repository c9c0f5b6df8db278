import type { ErrorCode } from '@bytebot/protocol';

/** The one error class of the agent's API: a code from the protocol's table, mapped to HTTP in one place. */
export class AgentError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: ReadonlyArray<string | number>,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}
