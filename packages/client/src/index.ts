export { BytebotdClient, type BytebotdClientOptions } from './bytebotd-client.ts';
export { BytebotdClientError } from './bytebotd-client-error.ts';
