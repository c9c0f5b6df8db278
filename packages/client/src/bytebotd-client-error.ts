import { type ErrorCode, errorBodySchema, isRetryableStatus } from '@bytebot/protocol';

/** An error bytebotd answered with (or a failure to reach it), rebuilt on the client side. */
export class BytebotdClientError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE',
    message: string,
    readonly status: number | undefined,
    readonly path?: ReadonlyArray<string | number>,
  ) {
    super(message);
    this.name = 'BytebotdClientError';
    this.retryable = status === undefined ? code === 'NETWORK' : isRetryableStatus(status);
  }

  static fromResponse(status: number, body: unknown): BytebotdClientError {
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success) {
      const { code, message, path } = parsed.data.error;
      return new BytebotdClientError(code, message, status, path);
    }
    return new BytebotdClientError(
      'BAD_RESPONSE',
      `bytebotd answered ${status} without an error body`,
      status,
    );
  }
}
