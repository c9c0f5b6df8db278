import { ServiceClientError } from './service-client-error.ts';

/** An error bytebotd answered with (or a failure to reach it), rebuilt on the client side. */
export class BytebotdClientError extends ServiceClientError {
  override name = 'BytebotdClientError';

  static fromResponse(status: number, body: unknown): BytebotdClientError {
    return new BytebotdClientError(...ServiceClientError.fromBody('bytebotd', status, body));
  }
}
