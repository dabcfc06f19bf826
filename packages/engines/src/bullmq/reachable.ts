import { ArgumentError, checkNumber, describeValue } from '@tenzo/core';
import { Redis } from 'ioredis';

/**
 * True when a Redis server answers PING at `url` within `timeoutMs` (default 1 000) — how tests
 * and `tenzo-worker` tell "no Redis here" from a failure. Never throws.
 */
export async function redisReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  if (typeof url !== 'string' || !URL.canParse(url))
    throw new ArgumentError(`redisReachable: url expected a redis:// URL, got ${describeValue(url)}`);
  checkNumber('redisReachable: timeoutMs', timeoutMs, { gt: 0, max: 600_000 });
  let c: Redis;
  try {
    c = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
  } catch {
    return false;
  }
  c.on('error', () => undefined);
  try {
    await c.connect();
    return (await c.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}
