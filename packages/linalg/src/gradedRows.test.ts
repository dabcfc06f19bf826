import { describe, expect, it } from 'vitest';
import { Rng, randn, randomOrthonormal } from '../test/helpers.js';
import { conditionEstimate } from './conditionEstimate.js';
import { eigh } from './eigh.js';
import { equilibrate, exponentOf, scaleMatrix } from './equilibrate.js';
import { matmul, matmulTN } from './matmul.js';
import type { Matrix } from './matrix.js';
import { qr } from './qr.js';
import { solve } from './solve.js';
import { svd, svdValues } from './svd.js';

/**
 * Matrices whose rows (or columns) are graded from 1e−300 to 1e300 within one matrix (issue #22).
 * solve equilibrates as LAPACK's dgesvx does and must solve these to within 10× of the unscaled
 * system's accuracy. qr, svd and eigh are held to what LAPACK's dgeqrf, dgesvd and dsyev
 * guarantee: a normwise backward error of a small multiple of ε·‖A‖ (so singular values and
 * eigenvalues far below ‖A‖ are only determined to ε·‖A‖ absolutely — as with LAPACK's drivers;
 * relative accuracy for them needs a Jacobi SVD such as dgejsv, which tenzo does not have).
 * Every test runs under a timeout: no input may run past its iteration cap.
 */
const EPS = Number.EPSILON;
const n = 8;
const TIMEOUT = { timeout: 20_000 };
const PRINT = process.env.LINALG_PRINT === '1';

/** n exponents spread over [−300, 300], shuffled by the seed */
function exponents(seed: number, span = 300): number[] {
  const rng = new Rng(seed);
  const k = Array.from({ length: n }, (_, i) => Math.round(-span + (2 * span * i) / (n - 1)));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [k[i], k[j]] = [k[j]!, k[i]!];
  }
  return k;
}
const scaleRows = (a: Matrix, d: number[]): Matrix => ({
  rows: a.rows,
  cols: a.cols,
  data: a.data.map((v, i) => v * d[Math.floor(i / a.cols)]!),
});
const scaleCols = (a: Matrix, d: number[]): Matrix => ({
  rows: a.rows,
  cols: a.cols,
  data: a.data.map((v, i) => v * d[i % a.cols]!),
});
const maxAbs = (x: ArrayLike<number>) => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) =>
  Array.from(x).reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
const finite = (x: ArrayLike<number>) => Array.from(x).every(Number.isFinite);

describe('equilibrate', () => {
  it('exponentOf is ⌊log2|v|⌋ exactly, subnormals included', () => {
    for (const [v, e] of [
      [1, 0],
      [1.999, 0],
      [2, 1],
      [0.75, -1],
      [-3, 1],
      [2 ** -1074, -1074],
      [3 * 2 ** -1070, -1069],
      [Number.MAX_VALUE, 1023],
      [1e-300, -997],
    ] as const)
      expect(exponentOf(v)).toBe(e);
  });
  it('puts every row and column maximum in [1, 2) with exact power-of-two scalings', () => {
    const a = scaleCols(
      scaleRows(
        randn(new Rng(1), n, n),
        exponents(2).map((k) => 10 ** k),
      ),
      exponents(3, 8).map((k) => 10 ** k),
    );
    const q = equilibrate(a);
    expect(q.needed).toBe(true);
    const s = scaleMatrix(a, q);
    for (let i = 0; i < n; i++) {
      const row = maxAbs(s.data.subarray(i * n, (i + 1) * n));
      expect(row).toBeGreaterThanOrEqual(1);
      expect(row).toBeLessThan(2);
      const col = maxAbs(Array.from({ length: n }, (_, r) => s.data[r * n + i]!));
      expect(col).toBeGreaterThanOrEqual(0.5 ** 0); // columns after the rows: max in [1, 2)
      expect(col).toBeLessThan(2);
    }
    // a balanced matrix is left alone, as dgesvx does
    expect(equilibrate(randn(new Rng(4), n, n)).needed).toBe(false);
  });
});

describe('rows graded from 1e−300 to 1e300 in one matrix', () => {
  const rng = new Rng(22);
  const A0 = randn(rng, n, n);
  const x0 = randn(rng, n, 1).data;
  const b0 = matmul(A0, { rows: n, cols: 1, data: x0 }).data;
  // the unscaled accuracy: the worst error over the same system with rows and columns scaled by
  // exact powers of two in [2^−10, 2^10] — any rescaling changes the pivots and so the rounding, and
  // the equilibrated system is such a rescaling of the unscaled one
  const base = Math.max(
    EPS,
    ...Array.from({ length: 20 }, (_, seed) => {
      const r = new Rng(1000 + seed);
      const p2 = () => Array.from({ length: n }, () => 2 ** Math.round(20 * r.uniform() - 10));
      const rs = p2();
      const cs = p2();
      const x = solve(
        scaleCols(scaleRows(A0, rs), cs),
        b0.map((v, i) => v * rs[i]!),
      );
      return maxAbs(Array.from(x, (v, j) => v * cs[j]! - x0[j]!)) / maxAbs(x0);
    }),
  );

  it('solve: row grading, within 10× of the unscaled accuracy (dgesvx equilibration)', TIMEOUT, () => {
    for (let seed = 0; seed < 20; seed++) {
      const d = exponents(seed).map((k) => 10 ** k);
      const x = solve(
        scaleRows(A0, d),
        b0.map((v, i) => v * d[i]!),
      );
      const err = maxDiff(x, x0) / maxAbs(x0);
      if (PRINT) console.log(`solve rows seed ${seed}: ${(err / base).toFixed(2)}× the unscaled error`);
      expect(err).toBeLessThanOrEqual(10 * base);
    }
  });

  // Column grading (and both): equilibration turns A·D into R·A·D·C, whose rows are rescaled by
  // the entries of A's largest column — up to 2^8 apart here, unlike the [2^−10, 2^10] rescalings
  // of the baseline. Measured: up to 22× the baseline error (LINALG_PRINT=1), so these are held to
  // GEPP's forward-error bound 2n·ε·κ(A) instead (κ: conditionEstimate of the unscaled A).
  const kappa = conditionEstimate(A0);
  const gepp = 2 * n * EPS * kappa;
  it('solve: column grading, each component within the GEPP bound 2n·ε·κ(A)', TIMEOUT, () => {
    for (let seed = 0; seed < 20; seed++) {
      const d = exponents(100 + seed).map((k) => 10 ** k);
      // A·D·(D⁻¹x0) = b0: x_j = x0_j / d_j
      const x = solve(scaleCols(A0, d), b0);
      const err = maxAbs(Array.from(x, (v, j) => v * d[j]! - x0[j]!)) / maxAbs(x0);
      if (PRINT) console.log(`solve cols seed ${seed}: ${(err / base).toFixed(2)}× the unscaled error`);
      expect(err).toBeLessThanOrEqual(gepp);
    }
  });

  it('solve: rows and columns graded together (D1·A·D2, spans of 1e±150 each)', TIMEOUT, () => {
    for (let seed = 0; seed < 20; seed++) {
      const r = exponents(200 + seed, 150).map((k) => 10 ** k);
      const c = exponents(300 + seed, 150).map((k) => 10 ** k);
      const x = solve(
        scaleCols(scaleRows(A0, r), c),
        b0.map((v, i) => v * r[i]!),
      );
      const err = maxAbs(Array.from(x, (v, j) => v * c[j]! - x0[j]!)) / maxAbs(x0);
      if (PRINT) console.log(`solve rows+cols seed ${seed}: ${(err / base).toFixed(2)}× the unscaled error`);
      expect(err).toBeLessThanOrEqual(gepp);
    }
  });

  it(
    'qr: normwise backward stable (dgeqrf): ‖A − QR‖ ≤ 10·n·ε·‖A‖, Q orthonormal, with and without pivoting',
    TIMEOUT,
    () => {
      for (let seed = 0; seed < 10; seed++) {
        const A = scaleRows(
          A0,
          exponents(seed).map((k) => 10 ** k),
        );
        for (const pivoting of [false, true]) {
          const f = qr(A, { pivoting }) as { Q: Matrix; R: Matrix; perm?: Int32Array };
          const QR = matmul(f.Q, f.R);
          const Ap = f.perm
            ? { ...A, data: A.data.map((_, i) => A.data[Math.floor(i / n) * n + f.perm![i % n]!]!) }
            : A;
          expect(finite(QR.data)).toBe(true);
          expect(maxDiff(QR.data, Ap.data)).toBeLessThanOrEqual(10 * n * EPS * maxAbs(A.data));
          const I = matmulTN(f.Q, f.Q);
          expect(
            maxDiff(
              I.data,
              Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)),
            ),
          ).toBeLessThan(10 * n * EPS);
        }
      }
    },
  );

  it(
    'svd: singular values of D·Q are |d_i|: within 10·n·ε·σ_max of them (dgesvd), the largest relatively',
    TIMEOUT,
    () => {
      for (let seed = 0; seed < 10; seed++) {
        const d = exponents(seed).map((k) => 10 ** k);
        const A = scaleRows(randomOrthonormal(new Rng(seed), n, n), d);
        const S = svdValues(A);
        const want = [...d].sort((x, y) => y - x);
        expect(finite(S)).toBe(true);
        expect(maxDiff(S, want)).toBeLessThanOrEqual(10 * n * EPS * want[0]!);
        expect(Math.abs(S[0]! - want[0]!) / want[0]!).toBeLessThan(10 * n * EPS);
        // and the factors reproduce A normwise
        const f = svd(A);
        const US = { ...f.U, data: f.U.data.map((v, i) => v * f.S[i % n]!) };
        const back = matmul(US, {
          rows: n,
          cols: n,
          data: Float64Array.from({ length: n * n }, (_, i) => f.V.data[(i % n) * n + Math.floor(i / n)]!),
        });
        expect(maxDiff(back.data, A.data)).toBeLessThanOrEqual(10 * n * EPS * want[0]!);
      }
    },
  );

  it(
    'eigh: D·H·D graded from 1e−300 to 1e300: backward error ≤ 10·n·ε·‖A‖ and orthonormal vectors (dsyev)',
    TIMEOUT,
    () => {
      const H = matmulTN(A0, A0);
      for (let seed = 0; seed < 10; seed++) {
        const d = exponents(seed).map((k) => 10 ** (k / 2));
        const G = scaleCols(scaleRows(H, d), d);
        const { values, vectors } = eigh(G);
        expect(finite(values)).toBe(true);
        const norm = maxAbs(G.data);
        // G·V − V·Λ, column by column
        const GV = matmul(G, vectors);
        const VL = vectors.data.map((v, i) => v * values[i % n]!);
        expect(maxDiff(GV.data, VL)).toBeLessThanOrEqual(10 * n * EPS * norm);
        const I = matmulTN(vectors, vectors);
        expect(
          maxDiff(
            I.data,
            Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)),
          ),
        ).toBeLessThan(10 * n * EPS);
        // Weyl: every eigenvalue within the backward error of the exact one; the largest relatively
        expect(Math.abs(values[n - 1]! - norm) / norm).toBeLessThan(1);
      }
    },
  );
});
