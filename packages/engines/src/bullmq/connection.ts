import { ArgumentError, describeValue } from '@tenzo/core';
import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a redis:// (or rediss://) URL, or ioredis options. */
export type RedisConnection = string | RedisOptions;

/** ioredis's own reconnection delay (ms) after the n-th failed try, kept where a stop is added to it. */
const ioredisRetry = (times: number): number => Math.min(times * 50, 2000);

/**
 * A new ioredis client for BullMQ. Each Queue, QueueEvents and Worker gets its own (the blocking
 * reads of QueueEvents and Worker must not share one); `maxRetriesPerRequest: null` is what
 * BullMQ requires of them, so a Redis restart stalls the run instead of failing it. With
 * `stopped`, the client (and every `duplicate()` of it, which BullMQ's QueueEvents makes) stops
 * reconnecting once `stopped()` is true: a client shut while Redis is away ends at its next try
 * instead of retrying for ever.
 */
export function redisClient(fn: string, connection: RedisConnection, stopped?: () => boolean): Redis {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection))
      throw new ArgumentError(
        `${fn}: connection expected a redis:// URL or ioredis options, got ${describeValue(connection)}`,
      );
    return new Redis(connection, {
      maxRetriesPerRequest: null,
      ...(stopped === undefined ? {} : { retryStrategy: stopping(ioredisRetry, stopped) }),
    });
  }
  if (connection === null || typeof connection !== 'object')
    throw new ArgumentError(
      `${fn}: connection expected a redis:// URL or ioredis options, got ${describeValue(connection)}`,
    );
  return new Redis({
    ...connection,
    maxRetriesPerRequest: null,
    ...(stopped === undefined
      ? {}
      : { retryStrategy: stopping(connection.retryStrategy ?? ioredisRetry, stopped) }),
  });
}

function stopping(
  retry: NonNullable<RedisOptions['retryStrategy']>,
  stopped: () => boolean,
): NonNullable<RedisOptions['retryStrategy']> {
  return (times) => (stopped() ? null : retry(times));
}

/**
 * Where a connection points, for messages: the URL without its user and password, or the host
 * and port (the socket path, the sentinels' master name) of ioredis options.
 */
export function describeRedis(connection: RedisConnection): string {
  if (typeof connection === 'string') {
    if (!URL.canParse(connection)) return 'an unparsable redis:// URL';
    const u = new URL(connection);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  }
  // String(): options come from users, a field may be of any type
  if (connection.sentinels) return `the sentinels of '${String(connection.name ?? 'mymaster')}'`;
  if (connection.path) return String(connection.path);
  return `${String(connection.host ?? 'localhost')}:${String(connection.port ?? 6379)}`;
}
