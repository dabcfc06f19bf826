import { Rng } from '@tenzo/core';
import type { DType } from '../dtype.js';
import { getKernel, listKernels, REFERENCE_BACKEND } from '../kernelRegistry.js';
import type { TensorData } from '../tensorData.js';
import { CASE_GENERATORS, type ConformanceCase } from './cases.js';

/**
 * How close a backend's result must be to the reference: a relative tolerance and an absolute one per
 * summed term.
 */
export interface Tolerance {
  /** relative tolerance */
  rtol: number;
  /** absolute tolerance per summed term (multiplied by the case's term count) */
  atol: number;
}

/**
 * Options of `checkConformance`: which kernels and dtypes to check, the tolerance, whether special values
 * are included, and the seed.
 */
export interface ConformanceOptions {
  /** kernels to check (default: every kernel the backend registers) */
  kernels?: readonly string[];
  /** default both float32 and float64 */
  dtypes?: readonly DType[];
  /** per dtype; defaults: float32 {rtol 1e-5, atol 1e-6}, float64 {rtol 1e-12, atol 1e-13} */
  tolerance?: Partial<Record<DType, Tolerance>>;
  /** include NaN, ±Infinity and −0 among inputs (default true; GPUs do not promise IEEE specials) */
  specials?: boolean;
  seed?: number;
}

/** One failed conformance case: the kernel, the dtype, the case's name and what differed. */
export interface ConformanceFailure {
  kernel: string;
  dtype: DType;
  case: string;
  message: string;
}

/**
 * What `checkConformance` found for a backend: the kernels checked, those it does not implement, the
 * number of cases run and the failures.
 */
export interface ConformanceReport {
  backend: string;
  /** kernels that were checked */
  kernels: string[];
  /** kernels of the backend the suite has no cases for (so were not checked) */
  uncovered: string[];
  /** kernel calls compared */
  cases: number;
  failures: ConformanceFailure[];
}

const DEFAULT_TOLERANCE: Record<DType, Tolerance> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-12, atol: 1e-13 },
};

/** Why `got` differs from `want`, or null if it matches within the tolerance. */
function compare(got: TensorData, want: TensorData, tol: Tolerance, terms: number): string | null {
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, expected ${want.dtype}`;
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i]))
    return `shape [${got.shape.join(',')}], expected [${want.shape.join(',')}]`;
  if (got.data.length !== want.data.length)
    return `${got.data.length} elements, expected ${want.data.length}`;
  const atol = tol.atol * Math.max(terms, 1);
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!;
    const w = want.data[i]!;
    if (Number.isNaN(w) ? Number.isNaN(g) : g === w) continue;
    if (Number.isFinite(w) && Math.abs(g - w) <= atol + tol.rtol * Math.abs(w)) continue;
    return `element ${i}: got ${g}, expected ${w}`;
  }
  return null;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Runs every kernel of `backend` (or `opts.kernels`) on generated inputs — random values over
 * shapes that include scalars, empty and 1×1 tensors, sizes that are no multiple of any tile
 * width, and all broadcasting patterns — and compares each result with the reference backend.
 * Returns a report instead of throwing so any test runner can assert on it.
 */
export function runConformance(backend: string, opts: ConformanceOptions = {}): ConformanceReport {
  const registered = listKernels(backend);
  const requested = opts.kernels ?? registered;
  const kernels = requested.filter((k) => CASE_GENERATORS[k] !== undefined);
  const uncovered = requested.filter((k) => CASE_GENERATORS[k] === undefined);
  const dtypes = opts.dtypes ?? ['float32', 'float64'];
  const failures: ConformanceFailure[] = [];
  let cases = 0;
  for (const kernel of kernels) {
    const run = getKernel(kernel, backend);
    const oracle = getKernel(kernel, REFERENCE_BACKEND);
    for (const dtype of dtypes) {
      const tol = { ...DEFAULT_TOLERANCE[dtype], ...opts.tolerance?.[dtype] };
      const rng = new Rng(opts.seed ?? 0x7e1150);
      const generated: ConformanceCase[] = CASE_GENERATORS[kernel]!({
        rng,
        dtype,
        specials: opts.specials ?? true,
      });
      for (const c of generated) {
        cases++;
        const want = oracle(c.inputs, c.attrs);
        const before = c.inputs.map((t) => t.data.slice());
        let message: string | null;
        try {
          message = compare(run(c.inputs, c.attrs), want, tol, c.terms);
        } catch (e) {
          message = `threw ${(e as Error).message}`;
        }
        // kernels must treat their inputs as read-only
        if (message === null && c.inputs.some((t, i) => !sameBits(t.data, before[i]!)))
          message = 'modified an input';
        if (message !== null) failures.push({ kernel, dtype, case: c.label, message });
      }
    }
  }
  return { backend, kernels, uncovered, cases, failures };
}
