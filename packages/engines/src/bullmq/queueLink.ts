import { EvaluationError } from '@tenzo/core';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeRedis, type RedisConnection, redisClient } from './connection.js';
import type { EvaluationJobData, EvaluationJobResult } from './jobs.js';

/** What `bullmqEngine` talks to once Redis answered: the queue it adds jobs to and the reader of its events. */
export interface QueueLink {
  readonly queue: Queue<EvaluationJobData, EvaluationJobResult>;
  readonly events: QueueEvents;
}

/** Options of `queueLink`. */
export interface QueueLinkOptions {
  /** the function named in errors ('bullmqEngine'; a setup's are its `.evaluate`'s) */
  readonly fn: string;
  /** where Redis is */
  readonly connection: RedisConnection;
  /** the BullMQ queue's name */
  readonly queue: string;
  /** BullMQ's key prefix */
  readonly prefix: string;
  /** how long (ms) a setup waits for Redis before it fails */
  readonly connectTimeoutMs: number;
}

/** One try at Redis: its clients, its queue, its events reader once made, what went wrong last. */
interface Attempt {
  readonly clients: Redis[];
  readonly queue: Queue<EvaluationJobData, EvaluationJobResult>;
  events: QueueEvents | null;
  /** the last error a client or the reader of this try reported (ECONNREFUSED, NOAUTH …) */
  lastError: unknown;
  /** set once shut: its clients stop reconnecting, a setup still under way stops short */
  stopped: boolean;
  /** fails the setup under way at once (close) */
  abort: ((err: Error) => void) | null;
  shut: Promise<void> | null;
}

/**
 * The connection of a `bullmqEngine` to Redis. `ready()` sets it up once — the queue's client
 * answers, the id of the last entry of the queue's events stream is read, the events reader
 * starts after that id and answers — and hands the same link to every later call.
 *
 * A setup that does not finish within `connectTimeoutMs` (Redis down, refusing, unreachable)
 * or fails (a Redis error) rejects with an EvaluationError naming `<fn>.evaluate`, the address
 * and the cause, and its clients are dropped: the next `ready()` starts over with new ones, so a
 * failed setup is never handed out again and a Redis that comes up later is used at once.
 * `close()` shuts the link and a setup under way without waiting for a Redis that does not answer.
 */
export function queueLink(opts: QueueLinkOptions): {
  ready(): Promise<QueueLink>;
  close(): Promise<void>;
} {
  const { fn, connectTimeoutMs } = opts;
  // opened at once, as before the first call: a bad connection option throws here, and the
  // connection is under way by the first call
  let current: Attempt | null = open();
  const where = describeRedis(opts.connection);
  let setup: Promise<QueueLink> | null = null;
  let closing: Promise<void> | null = null;

  function open(): Attempt {
    const clients: Redis[] = [];
    const a: Omit<Attempt, 'queue'> = {
      clients,
      events: null,
      lastError: undefined,
      stopped: false,
      abort: null,
      shut: null,
    };
    const queue = new Queue<EvaluationJobData, EvaluationJobResult>(opts.queue, {
      connection: client(a),
      prefix: opts.prefix,
    });
    queue.setMaxListeners(0);
    // the same object: its clients' `stopped` reads it
    return Object.assign(a, { queue });
  }

  function client(a: Omit<Attempt, 'queue'>): Redis {
    const c = redisClient(fn, opts.connection, () => a.stopped);
    c.on('error', (err: unknown) => {
      a.lastError = err;
    });
    a.clients.push(c);
    return c;
  }

  async function setUp(a: Attempt): Promise<QueueLink> {
    await a.queue.waitUntilReady();
    // BullMQ's QueueEvents reads the events stream from '$' (what arrives after its first XREAD),
    // and its waitUntilReady resolves on connecting, before that XREAD: a job finishing in between
    // is checked too early by waitUntilFinished and its 'completed' event is never seen — the client
    // waits forever (a CI run hung so). Reading from the stream's last id taken before any job is
    // added closes that window; a slow poll of each job (the engine's `finished`) covers a trimmed
    // stream.
    const last = await a.clients[0]!.xrevrange(a.queue.keys.events!, '+', '-', 'COUNT', 1);
    if (a.stopped) throw new Error('closed while connecting');
    const events = new QueueEvents(opts.queue, {
      connection: client(a),
      prefix: opts.prefix,
      lastEventId: last[0]?.[0] ?? '0-0',
    });
    a.events = events;
    // one listener per job in flight
    events.setMaxListeners(0);
    events.on('error', (err: unknown) => {
      a.lastError = err;
    });
    await events.waitUntilReady();
    return { queue: a.queue, events };
  }

  function fail(a: Attempt, err: unknown, timedOut: boolean): EvaluationError {
    const cause = timedOut ? a.lastError : err;
    const why = cause instanceof Error ? cause.message : cause === undefined ? '' : String(cause);
    const what = timedOut
      ? `Redis at ${where} did not answer within ${connectTimeoutMs} ms${why === '' ? '' : ` (${why})`}`
      : `setting up queue '${opts.queue}' on Redis at ${where} failed: ${why}`;
    return new EvaluationError(
      `${fn}.evaluate: ${what}; no job was sent, and the next call connects again`,
      cause === undefined ? {} : { cause },
    );
  }

  function ready(): Promise<QueueLink> {
    if (closing !== null) return Promise.reject(new EvaluationError(`${fn}.evaluate: the engine is closed`));
    setup ??= connect((current ??= open()));
    return setup;
  }

  async function connect(a: Attempt): Promise<QueueLink> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise<QueueLink>((resolve, reject) => {
        timer = setTimeout(() => reject(fail(a, undefined, true)), connectTimeoutMs);
        a.abort = reject;
        setUp(a).then(resolve, (err: unknown) => reject(fail(a, err, false)));
      });
    } catch (err) {
      // this try is over, and never handed out again: the next call opens a new one
      if (current === a) {
        current = null;
        setup = null;
      }
      await shut(a);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  function shut(a: Attempt): Promise<void> {
    a.shut ??= (async () => {
      a.stopped = true;
      // a client that is not connected is dropped at once: a QUIT would wait behind its queued
      // commands for a Redis that may never answer (a client in its reconnection pause stays
      // there, without timers; one connecting ends now)
      for (const c of a.clients) if (c.status !== 'ready') c.disconnect();
      // the reader's own connection (a duplicate of its client) ends at its next try: `stopped`
      await a.events?.close().catch(() => undefined);
      await a.queue.close().catch(() => undefined);
      await Promise.all(
        a.clients.map((c) => (c.status === 'ready' ? c.quit().catch(() => undefined) : undefined)),
      );
    })();
    return a.shut;
  }

  return {
    ready,
    close() {
      closing ??= (async () => {
        const a = current;
        current = null;
        if (a === null) return;
        a.abort?.(
          new EvaluationError(`${fn}.evaluate: the engine was closed while connecting to Redis at ${where}`),
        );
        await shut(a);
      })();
      return closing;
    },
  };
}
