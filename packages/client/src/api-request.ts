/** A call to one of our HTTP APIs: the status and the parsed JSON body (undefined when empty). */
export type ApiRequest = <T = unknown>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: T }>;

/**
 * Calls `baseUrl` with the bearer token, JSON in and out, and answers whatever status comes back
 * instead of throwing: for programs (and tests) that look at refusals as closely as at successes.
 */
export function apiRequest(baseUrl: string, token: string): ApiRequest {
  return async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
}
