import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestBodyError, readJsonBody as readJson } from '@bytebot/config';
import { BytebotdError } from '../bytebotd-error.ts';

/**
 * The JSON body of a call, read by config's reader (JSON content types only, refused at maxBytes while
 * it arrives), its refusals as BytebotdErrors with the same codes.
 */
export async function readJsonBody(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
): Promise<unknown> {
  try {
    // Up to twice the limit an oversized body is still read (and dropped) to its end, so a client that
    // sends it whole before reading the answer (fetch does) gets the 413, not a broken pipe; past that
    // the connection is closed rather than read on for nobody.
    return await readJson(request, { maxBytes, drainUpToBytes: 2 * maxBytes, requireJsonType: true });
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    // The rest of the body is still on the connection: it cannot be read as the next request.
    if (!error.connectionReusable) response.setHeader('connection', 'close');
    throw new BytebotdError(error.code, error.message, error.path);
  }
}
