import type { IncomingMessage } from 'node:http';
import { BytebotdError } from '../bytebotd-error.ts';

/** Reads and parses a JSON body, refusing it as soon as it exceeds maxBytes rather than after buffering it. */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType !== '' && contentType !== 'application/json' && !contentType.endsWith('+json')) {
    throw new BytebotdError(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-type: expected application/json, got "${contentType}"`,
      ['content-type'],
    );
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new BytebotdError('PAYLOAD_TOO_LARGE', `body: ${declared} bytes, the limit is ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > maxBytes) {
      throw new BytebotdError(
        'PAYLOAD_TOO_LARGE',
        `body: more than ${maxBytes} bytes, the limit is ${maxBytes}`,
      );
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks, received).toString('utf8');
  if (text.trim() === '')
    throw new BytebotdError('INVALID_JSON', 'body: expected a JSON object, got an empty body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BytebotdError('INVALID_JSON', `body: not valid JSON (${(error as Error).message})`);
  }
}
