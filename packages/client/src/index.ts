export { type ApiRequest, apiRequest } from './api-request.ts';
export {
  BytebotdClient,
  type BytebotdClientOptions,
  type ResultWith,
  type ScreenshotAfterResult,
} from './bytebotd-client.ts';
export { BytebotdClientError } from './bytebotd-client-error.ts';
