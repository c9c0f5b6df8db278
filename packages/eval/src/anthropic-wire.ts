import { randomUUID } from 'node:crypto';
import type { JsonReply } from './json-server.ts';

/** A Messages API answer as the real API sends it, for stand-ins of Claude (the scripted model, the tests' server). */
export function anthropicMessage(message: {
  model: string;
  content: Array<Record<string, unknown>>;
  stopReason: string;
  usage: { input: number; output: number };
}): JsonReply {
  return {
    status: 200,
    headers: { 'request-id': `req_${randomUUID()}` },
    body: {
      id: `msg_${randomUUID().replaceAll('-', '')}`,
      type: 'message',
      role: 'assistant',
      model: message.model,
      content: message.content,
      stop_reason: message.stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: message.usage.input,
        output_tokens: message.usage.output,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  };
}

/** A Messages API error in the real API's shape. */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): JsonReply {
  return {
    status,
    body: { type: 'error', error: { type, message } },
    headers: { 'request-id': `req_${randomUUID()}`, ...headers },
  };
}
