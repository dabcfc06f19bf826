import { checkInt, checkNumber, Rng, type Seed } from '@tenzo/core';

/** Faults a device server injects (for tests and demos); every draw comes from `seed`. */
export interface FaultOptions {
  /** share of queries answered 503 unavailable before being applied */
  readonly failRate?: number;
  /** share of output rows replaced by NaN */
  readonly nanRate?: number;
  /** each query waits U[0, delayMs) before it is evaluated (ms) */
  readonly delayMs?: number;
  /** share of queries never answered (nor applied: as if the instrument never got them) */
  readonly hangRate?: number;
  /** output gain drift per call: the k-th query's outputs are scaled by 1 + drift·k */
  readonly drift?: number;
  /** every n-th evaluated query is applied and cached, then its connection destroyed unanswered */
  readonly dropConnectionEvery?: number;
  readonly seed?: Seed;
}

/** What the server did to the requests it got, for the summary. */
export interface FaultCounts {
  failed: number;
  nanRows: number;
  delayed: number;
  hung: number;
  dropped: number;
}

/**
 * The seeded fault decisions of a server. Each fault kind draws from its own stream (forks of
 * one seed), so switching one on leaves the others' decisions unchanged.
 */
export class FaultInjector {
  readonly counts: FaultCounts = { failed: 0, nanRows: 0, delayed: 0, hung: 0, dropped: 0 };
  private readonly failRate: number;
  private readonly nanRate: number;
  private readonly delayMs: number;
  private readonly hangRate: number;
  private readonly drift: number;
  private readonly dropEvery: number;
  private readonly failRng: Rng;
  private readonly nanRng: Rng;
  private readonly delayRng: Rng;
  private readonly hangRng: Rng;
  private evaluated = 0;

  constructor(o: FaultOptions = {}) {
    const rate = (name: string, v: number | undefined) =>
      checkNumber(`faults.${name}`, v ?? 0, { min: 0, max: 1 });
    this.failRate = rate('failRate', o.failRate);
    this.nanRate = rate('nanRate', o.nanRate);
    this.hangRate = rate('hangRate', o.hangRate);
    this.delayMs = checkNumber('faults.delayMs', o.delayMs ?? 0, { min: 0, max: 600_000 });
    this.drift = checkNumber('faults.drift', o.drift ?? 0);
    this.dropEvery = checkInt('faults.dropConnectionEvery', o.dropConnectionEvery ?? 0);
    const seeds = new Rng(o.seed ?? 0);
    this.failRng = seeds.fork();
    this.nanRng = seeds.fork();
    this.delayRng = seeds.fork();
    this.hangRng = seeds.fork();
  }

  /** Whether this query is never answered. */
  hang(): boolean {
    const hit = this.hangRate > 0 && this.hangRng.uniform() < this.hangRate;
    if (hit) this.counts.hung++;
    return hit;
  }

  /** Whether this query is refused with 503. */
  fail(): boolean {
    const hit = this.failRate > 0 && this.failRng.uniform() < this.failRate;
    if (hit) this.counts.failed++;
    return hit;
  }

  /** The wait before evaluating (ms). */
  delay(): number {
    if (this.delayMs === 0) return 0;
    this.counts.delayed++;
    return this.delayMs * this.delayRng.uniform();
  }

  /**
   * Applies drift and NaN rows to a query's B×m outputs (in place) and says whether its
   * connection is to be dropped after it is cached.
   */
  corrupt(Y: Float64Array, rows: number, m: number): { drop: boolean } {
    const k = this.evaluated++;
    if (this.drift !== 0) {
      const gain = 1 + this.drift * k;
      for (let i = 0; i < Y.length; i++) Y[i]! *= gain;
    }
    if (this.nanRate > 0) {
      for (let r = 0; r < rows; r++) {
        if (this.nanRng.uniform() < this.nanRate) {
          Y.fill(Number.NaN, r * m, (r + 1) * m);
          this.counts.nanRows++;
        }
      }
    }
    const drop = this.dropEvery > 0 && (k + 1) % this.dropEvery === 0;
    if (drop) this.counts.dropped++;
    return { drop };
  }
}
