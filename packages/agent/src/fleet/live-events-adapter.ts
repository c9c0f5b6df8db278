import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';

export type SocketAdapter = ReturnType<typeof createAdapter>;

export interface LiveEventsAdapter {
  /** For socket.io's `server.adapter(...)`: what one agent emits reaches the clients of every agent. */
  adapter: SocketAdapter;
  close(): Promise<void>;
}

/**
 * socket.io's Redis adapter over two connections of our own (one publishes, one listens), under a key of
 * the fleet's name, so that fleets sharing one Redis (test runs, say) do not hear each other.
 */
export function createLiveEventsAdapter(options: {
  redisUrl: string;
  fleet: string;
  log: { warn(line: string): void };
}): LiveEventsAdapter {
  let lastWarning: string | undefined;
  const warn = (error: Error) => {
    const line = `live events: Redis: ${error.message}`;
    if (line === lastWarning) return;
    lastWarning = line;
    options.log.warn(line);
  };
  const publisher = new Redis(options.redisUrl);
  const subscriber = publisher.duplicate();
  publisher.on('error', warn);
  subscriber.on('error', warn);
  return {
    adapter: createAdapter(publisher, subscriber, { key: `bytebot:${options.fleet}:live` }),
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
