import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

export interface WebsockifyOptions {
  path: string;
  vncHost: string;
  vncPort: number;
  authorize: (request: IncomingMessage) => boolean;
  log: (line: string) => void;
}

/** Frames from the VNC server not yet handed to the websocket before we stop reading from it. */
const maxPendingFrames = 64;

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

/**
 * Carries the browser's websocket to the VNC server as raw bytes (what websockify does), so the VNC
 * server itself never has to listen beyond 127.0.0.1. The upgrade is refused without the token.
 */
export function attachWebsockifyProxy(
  server: Server,
  options: WebsockifyOptions,
): { close(): Promise<void> } {
  const sockets = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== options.path) {
      refuse(socket, '404 Not Found');
      return;
    }
    if (!options.authorize(request)) {
      refuse(socket, '401 Unauthorized');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (websocket) => {
      const vnc = connect({ host: options.vncHost, port: options.vncPort });
      let pending = 0;
      vnc.on('data', (chunk) => {
        pending += 1;
        if (pending >= maxPendingFrames) vnc.pause();
        websocket.send(chunk, { binary: true }, () => {
          pending -= 1;
          if (pending < maxPendingFrames / 2) vnc.resume();
        });
      });
      vnc.on('error', (error) => {
        options.log(`live view: VNC server at ${options.vncHost}:${options.vncPort}: ${error.message}`);
        websocket.close(1011, 'the VNC server is unreachable');
      });
      vnc.on('close', () => websocket.close());
      websocket.on('message', (data: Buffer) => {
        vnc.write(data);
      });
      websocket.on('close', () => vnc.destroy());
      websocket.on('error', () => vnc.destroy());
    });
  });

  return {
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close(() => resolvePromise());
      }),
  };
}
