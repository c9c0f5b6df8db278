import type { Authorize, RateLimiter } from '@bytebot/config';

interface Request {
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

interface Response {
  status(code: number): Response;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/**
 * In front of every route: the bearer token (all but /health), then the limit on new tasks per token.
 * socket.io is not behind it; its handshake checks the token itself (tasks.gateway.ts).
 */
export function createAccessMiddleware(options: {
  authorize: Authorize;
  taskLimiter: RateLimiter | undefined;
}) {
  return (request: Request, response: Response, next: () => void) => {
    if (request.path === '/health') {
      next();
      return;
    }
    if (!options.authorize(request as never)) {
      response.setHeader('www-authenticate', 'Bearer');
      response.status(401).json({
        error: {
          code: 'UNAUTHORIZED',
          message: 'authorization: expected "Bearer <token>" with the Bytebot token',
        },
      });
      return;
    }
    if (request.method === 'POST' && request.path === '/tasks' && options.taskLimiter) {
      const taken = options.taskLimiter.take(String(request.headers.authorization ?? 'anonymous'));
      if (!taken.allowed) {
        response.setHeader('retry-after', String(taken.retryAfterSeconds));
        response.status(429).json({
          error: {
            code: 'RATE_LIMITED',
            message: `too many new tasks: wait ${taken.retryAfterSeconds} s (BYTEBOT_RATE_LIMIT_TASKS)`,
          },
        });
        return;
      }
    }
    next();
  };
}
