import { Rng } from '@tenzo/core';
import { type Matrix, matmul, qr, svd } from '@tenzo/linalg';
import { Matrix as MlMatrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import {
  type BenchRow,
  type InterleaveOptions,
  interleavedRows,
  measureInterleaved,
  type SuiteContext,
} from '../harness.js';

/**
 * QR and SVD of @tenzo/linalg against ml-matrix (the only mature float64 QR/SVD on npm), same
 * inputs, same process, in interleaved rounds. Both sides return the thin factors (Q and R; U, S
 * and V). The note of each tenzo row carries the reconstruction error ‖A − QR‖/‖A‖ or ‖A − USVᵀ‖/‖A‖.
 */
const FULL_SIZES: [number, number][] = [
  [512, 32],
  [1024, 64],
  [256, 256],
  [512, 512],
];
/** the default run: one tall-skinny and one square shape */
const DEFAULT_SIZES: [number, number][] = [
  [512, 32],
  [256, 256],
];
const QUICK_SIZES: [number, number][] = [
  [128, 16],
  [48, 48],
];

function relErr(a: Matrix, b: Matrix): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i++) {
    d += (a.data[i]! - b.data[i]!) ** 2;
    n += a.data[i]! ** 2;
  }
  return Math.sqrt(d / n);
}

function scaleCols(u: Matrix, s: Float64Array): Matrix {
  const out = u.data.slice();
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < u.cols; j++) out[i * u.cols + j]! *= s[j]!;
  return { rows: u.rows, cols: u.cols, data: out };
}

function transposeOf(v: Matrix): Matrix {
  const out = new Float64Array(v.data.length);
  for (let i = 0; i < v.rows; i++)
    for (let j = 0; j < v.cols; j++) out[j * v.rows + i] = v.data[i * v.cols + j]!;
  return { rows: v.cols, cols: v.rows, data: out };
}

export async function linalgSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rng = new Rng(ctx.seed);
  const push = (row: BenchRow): void => {
    rows.push(row);
    ctx.onRow?.(row);
  };
  for (const [m, n] of ctx.quick ? QUICK_SIZES : ctx.full ? FULL_SIZES : DEFAULT_SIZES) {
    const data = rng.fillNormal(new Float64Array(m * n)) as Float64Array;
    const a: Matrix = { rows: m, cols: n, data };
    const ml = new MlMatrix(
      Array.from({ length: m }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n))),
    );
    // ml-matrix's 512×512 SVD takes seconds per call: fewer rounds for the big cases
    const big = m * n * Math.min(m, n) > 1e7;
    const opts: InterleaveOptions = ctx.quick
      ? { warmup: 1, minRounds: 2, minTimeMs: 0 }
      : big
        ? { warmup: 1, minRounds: 3, minTimeMs: 0 }
        : { warmup: 3, minRounds: 9, minTimeMs: 500 };
    const size = `${m}x${n}`;

    const q = qr(a);
    const qrNotes = { tenzo: `err ${relErr(a, matmul(q.Q, q.R)).toExponential(1)}` };
    const qrResult = await measureInterleaved(
      [
        { name: 'tenzo', run: () => qr(a) },
        {
          name: 'ml-matrix',
          run: () => {
            const d = new QrDecomposition(ml);
            return [d.orthogonalMatrix, d.upperTriangularMatrix];
          },
        },
      ],
      opts,
    );
    interleavedRows(qrResult, { suite: 'linalg', case: `qr ${size}` }, qrNotes).forEach(push);

    const s = svd(a);
    const svdNotes = {
      tenzo: `err ${relErr(a, matmul(scaleCols(s.U, s.S), transposeOf(s.V))).toExponential(1)}`,
    };
    const svdResult = await measureInterleaved(
      [
        { name: 'tenzo', run: () => svd(a) },
        { name: 'ml-matrix', run: () => new SingularValueDecomposition(ml, { autoTranspose: true }) },
      ],
      opts,
    );
    interleavedRows(svdResult, { suite: 'linalg', case: `svd ${size}` }, svdNotes).forEach(push);
  }
  return rows;
}
