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

/**
 * A Messages API answer as the stream of server-sent events the API sends for `stream: true`
 * (https://platform.claude.com/docs/en/build-with-claude/streaming): message_start, each block's start,
 * deltas and stop, message_delta with the stop reason, message_stop.
 */
export function anthropicStream(reply: JsonReply): JsonReply {
  const message = reply.body as {
    content: Array<Record<string, unknown>>;
    stop_reason: string;
    usage: Record<string, number>;
  };
  const events: Array<[string, unknown]> = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          usage: { ...message.usage, output_tokens: 0 },
        },
      },
    ],
  ];
  message.content.forEach((block, index) => {
    const delta = (value: unknown) =>
      events.push(['content_block_delta', { type: 'content_block_delta', index, delta: value }]);
    if (block.type === 'text') {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      ]);
      if (block.text) delta({ type: 'text_delta', text: block.text });
    } else if (block.type === 'thinking') {
      events.push([
        'content_block_start',
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        },
      ]);
      if (block.thinking) delta({ type: 'thinking_delta', thinking: block.thinking });
      delta({ type: 'signature_delta', signature: block.signature });
    } else if (block.type === 'tool_use') {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { ...block, input: {} } },
      ]);
      delta({ type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) });
    } else {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: block }]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: message.usage.output_tokens },
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return {
    status: reply.status,
    body: null,
    ...(reply.headers ? { headers: reply.headers } : {}),
    raw: {
      contentType: 'text/event-stream',
      text: events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join(''),
    },
  };
}
