import {
  ArgumentError,
  checkInt,
  checkString,
  describeValue,
  EvaluationError,
  NonFiniteError,
  OutOfRangeError,
  ShapeError,
  TenzoError,
} from '@tenzo/core';

/**
 * The points of one batch, `count` rows of `dim` entries, row-major: grid multi-indices
 * (Int32Array, what `BlackBox` sends) or coordinates (Float64Array, what `@tenzo/zo` sends).
 */
export type PointArray = Int32Array | Float64Array;

/**
 * Evaluates whole batches of a black box somewhere: in this thread, on worker threads, on other
 * machines. The contract every engine keeps, and the one `BlackBox` and `@tenzo/zo` rely on:
 * - `evaluate` resolves to exactly `count` values, value i belonging to row i, whatever the engine
 *   splits the batch into and in whatever order the pieces finish;
 * - every row is answered once: a piece retried or delivered twice is never added twice;
 * - the values are those of the function, bit for bit (no reordering of a sum, no float32 on the
 *   wire), so a seeded run gives the same result on every engine and any number of workers.
 * What it is not: a cache or a budget (that is `BlackBox`'s job — engines see only new points).
 */
export interface EvaluationEngine {
  /** a label for reports: 'in-process', 'threads×2', 'bullmq:<queue>' */
  readonly name: string;
  /** the values at `count` points of dimension `dim` (row-major in `points`), in row order */
  evaluate(points: PointArray, count: number, dim: number): Promise<Float64Array>;
  /** ends the engine's threads and connections; calling it twice is harmless */
  close(): Promise<void>;
}

/** A batched function evaluated in-process: `count` rows of `dim` entries → `count` values. */
export type EngineBatchFunction = (
  points: PointArray,
  count: number,
  dim: number,
) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Checks one `evaluate` call's arguments (name: 'threadEngine.evaluate', …). */
export function checkBatch(name: string, points: unknown, count: number, dim: number): void {
  checkString('checkBatch: name', name);
  checkInt(`${name}: count`, count);
  checkInt(`${name}: dim`, dim, { positive: true });
  if (!(points instanceof Int32Array) && !(points instanceof Float64Array))
    throw new ArgumentError(
      `${name}: points expected an Int32Array or Float64Array, got ${describeValue(points)}`,
    );
  if (points.length !== count * dim)
    throw new ShapeError(
      `${name}: points expected count·dim = ${count}·${dim} = ${count * dim} entries, got ${points.length}`,
    );
}

/** Pieces [start, size) of a batch of `count` rows, `size` rows each (the last one shorter). */
export function splitBatch(count: number, size: number): { start: number; size: number }[] {
  // count is a number of points in typed arrays; the parts list is built eagerly, so bound it
  checkInt('splitBatch: count', count, { max: 2 ** 31 - 1 });
  checkInt('splitBatch: size', size, { positive: true });
  if (Math.ceil(count / size) > 2 ** 24)
    throw new OutOfRangeError(`splitBatch: ${count} points in parts of ${size} make more than 2^24 parts`);
  const out: { start: number; size: number }[] = [];
  for (let start = 0; start < count; start += size) out.push({ start, size: Math.min(size, count - start) });
  return out;
}

/** A value from a user's function, or a TenzoError, rethrown as an EvaluationError naming `name`. */
export function evaluationFailure(name: string, err: unknown): TenzoError {
  checkString('evaluationFailure: name', name);
  if (err instanceof TenzoError) return err;
  return new EvaluationError(`${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** The values a function returned, checked (count, numbers, finite: `ShapeError`/`EvaluationError`) and copied into a Float64Array. */
export function checkValues(name: string, values: unknown, count: number): Float64Array {
  checkString('checkValues: name', name);
  checkInt(`${name}: count`, count);
  if (
    values === null ||
    typeof values !== 'object' ||
    typeof (values as ArrayLike<number>).length !== 'number'
  )
    throw new ShapeError(`${name}: the function must return ${count} numbers, got ${describeValue(values)}`);
  const v = values as ArrayLike<number>;
  if (v.length !== count)
    throw new ShapeError(`${name}: the function returned ${v.length} values for ${count} points`);
  // a string or undefined would become NaN (or a number parsed from text) without a word, and a
  // NaN or ±∞ would poison every estimate built on it
  for (let i = 0; i < count; i++) {
    if (typeof v[i] !== 'number')
      throw new EvaluationError(
        `${name}: the function returned ${describeValue(v[i])} for point ${i}, expected a finite number`,
      );
    if (!Number.isFinite(v[i]))
      throw new NonFiniteError(
        `${name}: the function returned ${v[i]} for point ${i}, expected a finite number`,
      );
  }
  return v instanceof Float64Array ? v : Float64Array.from(v);
}
