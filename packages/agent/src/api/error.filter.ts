import { type ErrorBody, type ErrorCode, errorStatuses } from '@bytebot/protocol';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { AgentError } from '../agent-error.ts';

const codeForStatus: Record<number, ErrorCode> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** What is wrong with a body the JSON parser refused: not JSON at all, or JSON that is not an object. */
function jsonProblem(error: { message?: string; body?: unknown }): string {
  if (typeof error.body === 'string') {
    try {
      const value: unknown = JSON.parse(error.body);
      return `body: expected a JSON object, got ${value === null ? 'null' : typeof value}`;
    } catch {
      // Not JSON: said below.
    }
  }
  return `body: not valid JSON (${error.message})`;
}

function send(response: Response, status: number, body: ErrorBody): void {
  response.status(status).json(body);
}

/**
 * Every error leaves as `{ error: { code, message, path? } }`. Ours carry their code; the framework's
 * (unknown route, a body that is not JSON or too large) get the code of their status; anything else is
 * a bug: logged with its stack and answered 500.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logError: (line: string) => void) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof AgentError) {
      const body: ErrorBody = { error: { code: exception.code, message: exception.message } };
      if (exception.path) body.error.path = [...exception.path];
      if (exception.code === 'UNAUTHORIZED') response.setHeader('www-authenticate', 'Bearer');
      send(response, errorStatuses[exception.code], body);
      return;
    }
    // Nest hands body-parser's errors on as they are or wrapped in a BadRequestException (as its cause).
    const parserError = ((exception as { cause?: unknown })?.cause ?? exception) as {
      type?: string;
      message?: string;
    };
    if (parserError.type === 'entity.parse.failed' || parserError instanceof SyntaxError) {
      send(response, 400, { error: { code: 'INVALID_JSON', message: jsonProblem(parserError) } });
      return;
    }
    if (parserError.type === 'entity.too.large') {
      send(response, 413, {
        error: { code: 'PAYLOAD_TOO_LARGE', message: 'body: larger than the limit of 64 MiB' },
      });
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      send(response, status, {
        error: { code: codeForStatus[status] ?? 'INVALID_REQUEST', message: exception.message },
      });
      return;
    }
    this.logError((exception as Error)?.stack ?? String(exception));
    send(response, 500, { error: { code: 'INTERNAL', message: 'internal error; see the agent log' } });
  }
}
