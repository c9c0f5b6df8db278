export {
  AgentClient,
  type AgentClientOptions,
  type AgentEventSocket,
  type WaitOptions,
} from './agent-client.ts';
export { AgentClientError } from './agent-client-error.ts';
export { type ApiRequest, apiRequest } from './api-request.ts';
export {
  BytebotdClient,
  type BytebotdClientOptions,
  type ResultWith,
  type ScreenshotAfterResult,
} from './bytebotd-client.ts';
export { BytebotdClientError } from './bytebotd-client-error.ts';
export type { CallOptions } from './call-signal.ts';
