import { ArgumentError, describeValue } from '@tenzo/core';
import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a redis:// (or rediss://) URL, or ioredis options. */
export type RedisConnection = string | RedisOptions;

/**
 * A new ioredis client for BullMQ. Each Queue, QueueEvents and Worker gets its own (the blocking
 * reads of QueueEvents and Worker must not share one); `maxRetriesPerRequest: null` is what
 * BullMQ requires of them, so a Redis restart stalls the run instead of failing it.
 */
export function redisClient(fn: string, connection: RedisConnection): Redis {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection))
      throw new ArgumentError(
        `${fn}: connection expected a redis:// URL or ioredis options, got ${describeValue(connection)}`,
      );
    return new Redis(connection, { maxRetriesPerRequest: null });
  }
  if (connection === null || typeof connection !== 'object')
    throw new ArgumentError(
      `${fn}: connection expected a redis:// URL or ioredis options, got ${describeValue(connection)}`,
    );
  return new Redis({ ...connection, maxRetriesPerRequest: null });
}
