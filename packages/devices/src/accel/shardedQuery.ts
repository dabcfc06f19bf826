import { SMALL_PRODUCT } from '../linear.js';
import type { OmegaKey } from '../omegaKey.js';
import { blocksMatchWhole, tensorKernels } from './blocks.js';
import { outputBlocks, slices, type ZoExecutor } from './executor.js';
import type { QueryKernelSpec } from './zoKernel.js';

/**
 * How a simulator's matrix A (d_out×d_in, row-major) enters a sharded query: `A` as built, or,
 * with `build`, rebuilt inside the chunks from the phases φ by an elementwise law (each chunk
 * builds the rows of the outputs it computes). `abandon` is called when the run fails, so a
 * simulator that already keyed its matrix cache to this ω forgets it.
 */
export interface ShardedMatrix {
  /** d_out×d_in; on a SharedArrayBuffer */
  readonly A: Float64Array;
  readonly build:
    | null
    | { readonly law: 'cos'; readonly scale: number; readonly phi: Float64Array }
    | {
        readonly law: 'allPass';
        readonly alpha: number;
        readonly beta: number;
        readonly gamma: number;
        readonly phi: Float64Array;
      };
  /** Forgets a matrix cached for this ω (called when the run fails, before A was complete). */
  abandon(): void;
}

/**
 * A simulator's matrix cache as sharded queries see it: its OmegaKey, plus the version of the
 * realised phases (`SimulatedDevice.realisedVersion`) A was last built from, so a query that
 * repeats the setting reuses A without comparing ω.
 */
export class ShardedMatrixKey {
  private version = -1;

  constructor(private readonly key: OmegaKey) {}

  /** A was rebuilt outside a sharded query (for another ω): only a compare can match now */
  invalidate(): void {
    this.version = -1;
  }

  /** the build of a failed run never finished: nothing matches */
  readonly abandon = (): void => {
    this.key.forget();
    this.version = -1;
  };

  /** true when A is A(ω): built from `realised` at this version, or keyed to an equal ω */
  matches(omega: Float64Array, realised: Float64Array, realisedVersion: number): boolean {
    const fromRealised = omega === realised;
    if ((fromRealised && this.version === realisedVersion) || this.key.matches(omega)) {
      this.version = fromRealised ? realisedVersion : -1;
      return true;
    }
    return false;
  }

  /** keys the cache to ω, whose A the query's chunks are about to build */
  remember(omega: Float64Array, realised: Float64Array, realisedVersion: number): void {
    this.key.remember(omega);
    this.version = omega === realised ? realisedVersion : -1;
  }
}

/** A Float64Array of length n on a SharedArrayBuffer (a plain one where there are none: browsers without isolation). */
export function sharedFloat64(n: number): Float64Array {
  return typeof SharedArrayBuffer === 'function'
    ? new Float64Array(new SharedArrayBuffer(8 * n))
    : new Float64Array(n);
}

/**
 * Whether a batch×d_in query of a d_out×d_in matrix runs sharded on `executor`: a pool of
 * threads, work above its threshold (and above the size the device computes with a plain loop),
 * and output blocks whose products give the numbers of the whole one (see blocksMatchWhole).
 */
export function shardsQuery(executor: ZoExecutor, batch: number, dIn: number, dOut: number): boolean {
  const work = batch * dIn * dOut;
  return (
    executor.shared &&
    work >= Math.max(executor.minWork ?? 0, SMALL_PRODUCT) &&
    blocksMatchWhole(batch, Math.floor(dOut / outputBlocks(executor, dOut)), dIn)
  );
}

/**
 * out = X Aᵀ (batch×d_out) for X (batch×d_in), in output blocks (`outputBlocks`) on the executor's
 * threads (building A's rows first when `m.build`): bit-identical to the device's own product
 * for any thread count. `scratch(slot, n)` gives reusable shared arrays; the result is a fresh
 * array of the caller's.
 */
export async function shardedProduct(
  executor: ZoExecutor,
  m: ShardedMatrix,
  X: Float64Array,
  batch: number,
  dIn: number,
  dOut: number,
  scratch: (slot: number, n: number) => Float64Array,
): Promise<Float64Array> {
  const Xs = scratch(0, batch * dIn);
  Xs.set(X.subarray(0, batch * dIn));
  const out = scratch(1, batch * dOut);
  const b = m.build;
  let phi = b === null ? Xs : b.phi;
  if (b !== null && !(phi.buffer instanceof SharedArrayBuffer) && Xs.buffer instanceof SharedArrayBuffer) {
    phi = scratch(2, b.phi.length);
    phi.set(b.phi);
  }
  const spec: QueryKernelSpec = {
    gemm: tensorKernels()!,
    batch,
    dIn,
    dOut,
    A: m.A,
    X: Xs,
    out,
    build: b !== null,
    law: b === null ? 'cos' : b.law,
    phi,
    scale: b?.law === 'cos' ? b.scale : 0,
    alpha: b?.law === 'allPass' ? b.alpha : 0,
    beta: b?.law === 'allPass' ? b.beta : 0,
    gamma: b?.law === 'allPass' ? b.gamma : 0,
  };
  try {
    await executor.run(spec, slices('query', dOut, outputBlocks(executor, dOut)));
  } catch (e) {
    m.abandon();
    throw e;
  }
  return out.slice();
}
