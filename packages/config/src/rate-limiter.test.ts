import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.ts';

describe('rate limiter', () => {
  it('allows a burst of the limit, then refuses with the wait, and refills over time', () => {
    const limiter = new RateLimiter(60);
    const start = 1_000_000;
    for (let request = 0; request < 60; request += 1) expect(limiter.take('a', start).allowed).toBe(true);
    expect(limiter.take('a', start)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Another token has its own bucket.
    expect(limiter.take('b', start).allowed).toBe(true);
    expect(limiter.take('a', start + 1_000).allowed).toBe(true);
    expect(limiter.take('a', start + 1_000).allowed).toBe(false);
  });
});
