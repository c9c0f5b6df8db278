import { type ErrorCode, errorBodySchema, isRetryableStatus } from '@bytebot/protocol';

/** An error the agent answered with (or a failure to reach it, or a deadline passed), rebuilt on the client side. */
export class AgentClientError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE',
    message: string,
    readonly status: number | undefined,
    readonly path?: ReadonlyArray<string | number>,
  ) {
    super(message);
    this.name = 'AgentClientError';
    this.retryable = status === undefined ? code === 'NETWORK' : isRetryableStatus(status);
  }

  static fromResponse(status: number, body: unknown): AgentClientError {
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success) {
      const { code, message, path } = parsed.data.error;
      return new AgentClientError(code, message, status, path);
    }
    return new AgentClientError('BAD_RESPONSE', `the agent answered ${status} without an error body`, status);
  }
}
