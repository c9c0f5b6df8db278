import { type Authorize, type RateLimiter, rateLimitKey } from '@bytebot/config';

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
  /** Browser origins that may change state here (the UI's); a page of any other sends its own Origin. */
  allowedOrigins: string[];
}) {
  const allowed = new Set(options.allowedOrigins);
  return (request: Request, response: Response, next: () => void) => {
    // A page of another origin (another port of 127.0.0.1 included) can still send a form or a no-cors
    // request, which CORS does not stop; its browser names its Origin, so a state change from it is refused.
    // Programs send no Origin; with BYTEBOT_AUTH=off this is what keeps such a page from acting.
    const origin = request.headers.origin;
    if (
      typeof origin === 'string' &&
      !allowed.has(origin) &&
      !['GET', 'HEAD', 'OPTIONS'].includes(request.method)
    ) {
      response.status(403).json({
        error: {
          code: 'ORIGIN_NOT_ALLOWED',
          message: `origin: ${origin.slice(0, 100)} may not change anything here; allowed: ${[...allowed].join(', ')} (UI_ORIGIN)`,
        },
      });
      return;
    }
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
    // The route as Express matches it (case-insensitive, a trailing slash allowed): /TASKS/ is /tasks too.
    const route = request.path.toLowerCase().replace(/\/+$/, '');
    if (request.method === 'POST' && route === '/tasks' && options.taskLimiter) {
      const taken = options.taskLimiter.take(rateLimitKey(request as never));
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
