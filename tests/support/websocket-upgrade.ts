import WebSocket from 'ws';

/** The status a websocket upgrade gets (101 when it is accepted), and the first bytes it then receives. */
export function upgrade(
  url: string,
  options: { cookie?: string; origin?: string; host?: string; authorization?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise) => {
    const socket = new WebSocket(url, ['binary'], {
      headers: {
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.host ? { host: options.host } : {}),
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      ...(options.origin ? { origin: options.origin } : {}),
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        resolvePromise({ status: response.statusCode ?? 0, body });
        socket.terminate();
      });
    });
    socket.on('message', (data: Buffer) => {
      resolvePromise({ status: 101, body: data.toString('latin1') });
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}
