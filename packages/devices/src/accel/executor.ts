import { ArgumentError, checkArray, checkObject, describeValue } from '@tenzo/core';
import type { KernelSpec } from './zoKernel.js';

/**
 * One slice of work: directions [first, last), written as partial sum number `chunk`; with
 * kind 'setup' the per-entry tables of entries [first, last) of an elementwise estimate; with
 * kind 'fields' rows [first, last) of G = WᵀP and their entries' tables; with kind 'reduce' the
 * sum of the direction chunks' partials for entries [first, last); with kind 'query' outputs
 * [first, last) of a sharded device query.
 */
export interface ZoChunk {
  readonly kind?: 'setup' | 'fields' | 'reduce' | 'query';
  readonly first: number;
  readonly last: number;
  readonly chunk: number;
}

/**
 * Where the direction chunks of a projected ZO estimate run: in this thread (`inProcess`) or on
 * a worker-thread pool (`workerPool` from `@tenzo/devices/node`). Chunks are fixed by index and
 * their partial sums are added in chunk order, so every executor gives bit-identical results.
 */
export interface ZoExecutor {
  /** threads that run chunks at once */
  readonly threads: number;
  /** true when the spec's arrays must live on SharedArrayBuffers (other threads read them) */
  readonly shared: boolean;
  /**
   * estimates smaller than this many direction × parameter (× row, for meshes) updates run in
   * the calling thread instead (the round trip would cost more than it saves); default 0
   */
  readonly minWork?: number;
  /**
   * Runs the kernel on every chunk of directions and resolves when all are done; the partial sums land in
   * the spec's arrays.
   */
  run(spec: KernelSpec, chunks: readonly ZoChunk[]): Promise<void>;
}

/**
 * The directions of an estimate are cut into this many chunks (fewer when q is smaller), fixed
 * by index, so the partial sums and the order they are added in never depend on the thread
 * count: enough for 16 threads, few enough that adding the partials (p each) stays ~2% of the work.
 */
export const ZO_CHUNKS = 16;

/**
 * Blocks of a product cut by outputs (sharded queries, G = WᵀP): two per thread, so a thread
 * that is busy elsewhere leaves its share to the others. Every output is computed alone, so the
 * results do not depend on the cut; fewer blocks copy and pack the shared operand fewer times.
 */
export function outputBlocks(executor: ZoExecutor, n: number): number {
  return Math.min(n, 2 * executor.threads);
}

/** [0, n) cut into `parts` index ranges fixed by index: chunk c is [⌊cn/parts⌋, ⌊(c+1)n/parts⌋). */
export function slices(kind: ZoChunk['kind'], n: number, parts: number): ZoChunk[] {
  const out: ZoChunk[] = [];
  for (let c = 0; c < parts; c++) {
    const first = Math.floor((c * n) / parts);
    const last = Math.floor(((c + 1) * n) / parts);
    out.push(kind === undefined ? { first, last, chunk: c } : { kind, first, last, chunk: c });
  }
  return out;
}

const CHUNK_KINDS = new Set([undefined, 'setup', 'fields', 'reduce', 'query']);
const LAWS = new Set(['cos', 'allPass', 'mesh']);

/**
 * The checks of `ZoExecutor.run`: a spec object with a known law and a list of chunks with
 * integer bounds (`ArgumentError` otherwise). The spec's arrays are the estimator's internal
 * protocol, built by `projectedEstimate`; they are not checked here.
 */
export function checkZoRun(fn: string, spec: KernelSpec, chunks: readonly ZoChunk[]): void {
  checkObject(`${fn}: spec`, spec);
  if (!LAWS.has(spec.law as string))
    throw new ArgumentError(
      `${fn}: spec.law: expected 'cos', 'allPass' or 'mesh', got ${describeValue(spec.law)}`,
    );
  checkArray(`${fn}: chunks`, chunks).forEach((c, i) => {
    const ok =
      c !== null &&
      typeof c === 'object' &&
      CHUNK_KINDS.has(c.kind) &&
      Number.isSafeInteger(c.first) &&
      Number.isSafeInteger(c.last) &&
      Number.isSafeInteger(c.chunk) &&
      c.first >= 0 &&
      c.first <= c.last &&
      c.chunk >= 0;
    if (!ok)
      throw new ArgumentError(
        `${fn}: chunks[${i}]: expected { kind?, first ≤ last, chunk ≥ 0 } of integers, got ${describeValue(c)}`,
      );
  });
}
