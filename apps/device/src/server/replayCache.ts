/** A complete answer of the server, kept so a retried request gets it again. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** destroy the connection instead of answering (fault injection; only the first time) */
  readonly drop?: boolean;
}

interface Entry {
  /** what the request was (method, path, body length): a reused id with another request is a conflict */
  readonly signature: string;
  readonly answer: Promise<Answer>;
}

/**
 * The last `capacity` requests by id (insertion order, oldest evicted): a retry of a request the
 * server already applied — or is still applying — waits for and replays that answer instead of
 * applying it again.
 */
export class ReplayCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;

  constructor(readonly capacity: number) {}

  /** The entry of `id`: 'conflict' when the id came with another request, null when unknown. */
  get(id: string, signature: string): Promise<Answer> | 'conflict' | null {
    const e = this.entries.get(id);
    if (e === undefined) return null;
    if (e.signature !== signature) return 'conflict';
    this.hits++;
    return e.answer;
  }

  set(id: string, signature: string, answer: Promise<Answer>): void {
    if (this.capacity === 0) return;
    this.entries.delete(id);
    this.entries.set(id, { signature, answer });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
