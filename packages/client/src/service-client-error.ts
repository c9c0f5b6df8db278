import { type ErrorCode, errorBodySchema, isRetryableStatus } from '@bytebot/protocol';

export type ServiceClientErrorCode = ErrorCode | 'NETWORK' | 'BAD_RESPONSE';

/**
 * An error one of our services answered with (or a failure to reach it), rebuilt on the client side:
 * the shape both clients' errors share. Each client keeps its own class, so a caller can tell them apart.
 */
export class ServiceClientError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: ServiceClientErrorCode,
    message: string,
    readonly status: number | undefined,
    readonly path?: ReadonlyArray<string | number>,
  ) {
    super(message);
    this.retryable = status === undefined ? code === 'NETWORK' : isRetryableStatus(status);
  }

  /** The arguments of the error an answer's body describes; BAD_RESPONSE, naming the service, without one. */
  protected static fromBody(
    service: string,
    status: number,
    body: unknown,
  ): [ServiceClientErrorCode, string, number, ReadonlyArray<string | number>?] {
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success) {
      const { code, message, path } = parsed.data.error;
      return [code, message, status, path];
    }
    return ['BAD_RESPONSE', `${service} answered ${status} without an error body`, status];
  }
}
