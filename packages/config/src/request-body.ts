import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

/** The error codes of the protocol's table a refused body answers with (config does not import protocol). */
export type RequestBodyErrorCode =
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_REQUEST';

const statuses: Record<RequestBodyErrorCode, number> = {
  PAYLOAD_TOO_LARGE: 413,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_REQUEST: 400,
};

/** A body refused before anything was done with it; the message names the limit or the fault. */
export class RequestBodyError extends Error {
  readonly status: number;

  constructor(
    readonly code: RequestBodyErrorCode,
    message: string,
    readonly path?: string[],
    /**
     * False when the body was left unread on the connection: the answer should close it
     * (`connection: close`), since the rest of the body cannot be parsed as the next request.
     */
    readonly connectionReusable = true,
  ) {
    super(message);
    this.name = 'RequestBodyError';
    this.status = statuses[code];
  }
}

export interface BodyLimits {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /**
   * A body over maxBytes but within this many bytes is still read to its end (and dropped, never kept)
   * before the refusal: a client that is still sending when the server answers and closes gets a reset,
   * and often sees a broken pipe rather than the 413. Unset: refused as soon as it is over maxBytes.
   */
  drainUpToBytes?: number;
}

/** raw-body's errors (from http-errors): `type` says which check failed. */
interface RawBodyError extends Error {
  type: string;
  received?: number;
  expected?: number;
}

function isRawBodyError(error: unknown): error is RawBodyError {
  return error instanceof Error && typeof (error as Partial<RawBodyError>).type === 'string';
}

/**
 * The whole body as bytes, or a RequestBodyError: 413 naming the limit when the declared length is over
 * it (nothing is read) or as soon as the bytes received pass it (nothing more is kept). raw-body, the
 * reader under Express's body-parser, does the counting and the checks against content-length.
 */
export async function readRequestBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes } = limits;
  const declared = declaredLength(request);
  try {
    return await getRawBody(request, { limit: maxBytes, length: declared ?? null });
  } catch (error) {
    if (!isRawBodyError(error)) throw error;
    switch (error.type) {
      case 'entity.too.large': {
        const message =
          declared !== undefined
            ? `body: ${declared} bytes, the limit is ${maxBytes}`
            : `body: more than ${maxBytes} bytes, the limit is ${maxBytes}`;
        const reusable = await drainOversized(request, limits, declared, error.received ?? 0);
        throw new RequestBodyError('PAYLOAD_TOO_LARGE', message, undefined, reusable);
      }
      case 'request.size.invalid':
        throw new RequestBodyError(
          'INVALID_REQUEST',
          `body: ${error.received} bytes arrived, content-length said ${error.expected}`,
          ['content-length'],
        );
      case 'request.aborted':
        throw new RequestBodyError(
          'INVALID_REQUEST',
          `body: the client stopped sending after ${error.received ?? 0} bytes`,
          undefined,
          false,
        );
      default:
        // A stream already read or set to decode text: our mistake, not the client's.
        throw error;
    }
  }
}

export interface JsonBodyOptions extends BodyLimits {
  /**
   * Refuse (415) a content-type other than JSON. A browser sends text/plain or a form to another origin
   * without asking first, but never application/json: a JSON-only endpoint cannot be driven by a page.
   */
  requireJsonType?: boolean;
}

/** The body parsed as JSON, or a RequestBodyError: 415, 413 as readRequestBody, 400 for an empty body or bad JSON. */
export async function readJsonBody(request: IncomingMessage, options: JsonBodyOptions): Promise<unknown> {
  if (options.requireJsonType) {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (contentType !== '' && contentType !== 'application/json' && !contentType.endsWith('+json')) {
      throw new RequestBodyError(
        'UNSUPPORTED_MEDIA_TYPE',
        `content-type: expected application/json, got "${contentType}"`,
        ['content-type'],
      );
    }
  }
  const text = (await readRequestBody(request, options)).toString('utf8');
  if (text.trim() === '')
    throw new RequestBodyError('INVALID_JSON', 'body: expected JSON, got an empty body');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestBodyError('INVALID_JSON', `body: not valid JSON (${(error as Error).message})`);
  }
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * Reads and drops the rest of an oversized body when it fits in limits.drainUpToBytes; whether the
 * connection can carry another request afterwards. raw-body leaves the stream paused where it stopped.
 */
function drainOversized(
  request: IncomingMessage,
  limits: BodyLimits,
  declared: number | undefined,
  alreadyReceived: number,
): Promise<boolean> {
  const budget = limits.drainUpToBytes ?? 0;
  if (request.readableEnded) return Promise.resolve(true);
  if (alreadyReceived > budget || (declared ?? 0) > budget) return Promise.resolve(false);
  return new Promise((resolvePromise) => {
    let received = alreadyReceived;
    const finish = (reusable: boolean) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onFailure);
      request.off('close', onFailure);
      if (!reusable) request.pause();
      resolvePromise(reusable);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > budget) finish(false);
    };
    const onEnd = () => finish(true);
    const onFailure = () => finish(false);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onFailure);
    // A connection lost before the end: nothing more will come.
    request.once('close', onFailure);
    request.resume();
  });
}
