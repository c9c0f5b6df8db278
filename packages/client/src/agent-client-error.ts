import { ServiceClientError } from './service-client-error.ts';

/** An error the agent answered with (or a failure to reach it, or a deadline passed), rebuilt on the client side. */
export class AgentClientError extends ServiceClientError {
  override name = 'AgentClientError';

  static fromResponse(status: number, body: unknown): AgentClientError {
    return new AgentClientError(...ServiceClientError.fromBody('the agent', status, body));
  }
}
