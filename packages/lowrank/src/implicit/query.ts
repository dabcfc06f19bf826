import { ArgumentError, formatShape, ShapeError } from '@tenzo/core';
import { checkMatrix, type Matrix } from '@tenzo/linalg';

/**
 * A black-box linear operator y = A·x that can only be queried forward (METHODS.md §1.1), on
 * batches of ROWS — the convention of `PhysicalDevice.query` and of nn layers:
 * X: k×d_in (row b is the input x_b) → k×d_out (row b is A·x_b), as a Matrix or as a row-major
 * Float64Array of length k·d_out, synchronously or as a Promise. A device wraps as
 * `(x) => device.query(x.data, omega)`.
 */
export type LinearQuery = (x: Matrix) => Matrix | Float64Array | Promise<Matrix | Float64Array>;

/** Which operator a query went to: f0 = A(ω₀) (before the change), f1 = A(ω₁) (after). */
export type QueryTarget = 'f0' | 'f1';

/**
 * Why the rows were queried:
 * - 'basis': V0's r columns (ΔA·V0 for the K-step, exact)
 * - 'probes': the M random probe vectors for the transposed product ΔAᵀ·U
 * - 'galerkin': the new basis V1 (BUG's S-step)
 * - 'prefetch': rows queried on f1 now so the next update needs no f0 queries (cache)
 * - 'rebuild': identity or probe rows of an exact rebuild
 * - 'correction': random rows for the unbiased backward's residual (`probeResidual`)
 */
export type QueryPurpose = 'basis' | 'probes' | 'galerkin' | 'prefetch' | 'rebuild' | 'correction';

/** One call to f0 or f1 (or one served from the f0 cache): its rows, in order, by purpose. */
export interface QueryCall {
  readonly target: QueryTarget;
  /** true when the responses came from an F0Cache and the operator was not called */
  readonly fromCache: boolean;
  /** total rows (input vectors) of the call */
  readonly inputs: number;
  /** the rows in order: parts[0].inputs rows for parts[0].purpose, then the next part, ... */
  readonly parts: readonly { readonly purpose: QueryPurpose; readonly inputs: number }[];
}

/** What an update or rebuild cost in forward queries (input vectors evaluated). */
export interface QueryReport {
  /** input vectors actually evaluated, f0 and f1 together (cache hits excluded) */
  readonly forwardQueries: number;
  /** input vectors evaluated on f0 */
  readonly f0Queries: number;
  /** input vectors evaluated on f1 */
  readonly f1Queries: number;
  /** f0 input vectors served from a cache instead of being evaluated */
  readonly cachedF0: number;
  /** every call in the order it was made */
  readonly calls: readonly QueryCall[];
}

type Part = { purpose: QueryPurpose; inputs: number };

/** Runs and counts queries, validating every response (internal). */
export class QueryCounter {
  private readonly calls: QueryCall[] = [];

  constructor(
    private readonly op: string,
    /** d_out when known (validated), or undefined to learn it from the first response */
    private dOut: number | undefined,
  ) {}

  get outputSize(): number | undefined {
    return this.dOut;
  }

  async run(f: LinearQuery, target: QueryTarget, x: Matrix, parts: Part[]): Promise<Matrix> {
    const raw = await f(x);
    const k = x.rows;
    let y: Matrix;
    if (raw instanceof Float64Array) {
      const dOut = this.dOut ?? (k > 0 ? raw.length / k : 0);
      if (!Number.isInteger(dOut) || raw.length !== k * dOut) {
        throw new ShapeError(
          `${this.op}: ${target} returned ${raw.length} values for ${k} inputs, expected ${k}·d_out${this.dOut === undefined ? '' : ` = ${k * this.dOut}`}`,
        );
      }
      y = checkMatrix(this.op, `${target}(x)`, { rows: k, cols: dOut, data: raw });
    } else {
      if (raw === null || typeof raw !== 'object') {
        throw new ArgumentError(
          `${this.op}: ${target} must return a Matrix or a Float64Array, got ${String(raw)}`,
        );
      }
      y = checkMatrix(this.op, `${target}(x)`, raw);
      if (y.rows !== k || (this.dOut !== undefined && y.cols !== this.dOut)) {
        throw new ShapeError(
          `${this.op}: ${target} must return k×d_out = [${k}, ${this.dOut ?? 'd_out'}] for ${k} input rows, got ${formatShape([y.rows, y.cols])}`,
        );
      }
    }
    this.dOut ??= y.cols;
    this.calls.push({ target, fromCache: false, inputs: k, parts: parts.map((p) => ({ ...p })) });
    return y;
  }

  cached(target: QueryTarget, parts: Part[]): void {
    const inputs = parts.reduce((s, p) => s + p.inputs, 0);
    this.calls.push({ target, fromCache: true, inputs, parts: parts.map((p) => ({ ...p })) });
  }

  report(): QueryReport {
    let f0 = 0;
    let f1 = 0;
    let cached = 0;
    for (const c of this.calls) {
      if (c.fromCache) cached += c.inputs;
      else if (c.target === 'f0') f0 += c.inputs;
      else f1 += c.inputs;
    }
    return {
      forwardQueries: f0 + f1,
      f0Queries: f0,
      f1Queries: f1,
      cachedF0: cached,
      calls: this.calls.slice(),
    };
  }
}

/** Rows [A; B] of two matrices with the same number of columns. */
export function vcat(a: Matrix, b: Matrix): Matrix {
  const data = new Float64Array((a.rows + b.rows) * a.cols);
  data.set(a.data, 0);
  data.set(b.data, a.data.length);
  return { rows: a.rows + b.rows, cols: a.cols, data };
}
