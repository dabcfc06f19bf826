import { Rng } from '@tenzo/core';
import { diag, type Matrix, matmul, matmulNT, norm, qr, sliceCols, sub } from '@tenzo/linalg';

export { Rng };

/** rows×cols of N(0, 1). */
export function randn(rng: Rng, rows: number, cols: number): Matrix {
  return { rows, cols, data: rng.fillNormal(new Float64Array(rows * cols)) as Float64Array };
}

/** Least-squares slope of log y against log x (a convergence rate). */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}

/** ‖A − B‖_F / ‖B‖_F. */
export function relErr(a: Matrix, b: Matrix): number {
  return norm(sub(a, b)) / norm(b);
}

/**
 * A rank-r matrix path that rotates: A(t) = U(t)·diag(s)·V(t)ᵀ with
 * U(t) = U_a cos(t) + U_b sin(t) (U_a ⊥ U_b orthonormal, so U(t) stays orthonormal), likewise
 * V(t) at angular speed `speedV`.
 */
export function rotatingPath(
  rng: Rng,
  dOut: number,
  dIn: number,
  s: readonly number[],
  speedV = 0.7,
): (t: number) => Matrix {
  const r = s.length;
  // two r-column orthonormal bases per side: from one QR when 2r columns fit (then orthogonal
  // to each other), else from two (r ≤ d always holds for a rank-r d_out×d_in path)
  const pair = (d: number): [Matrix, Matrix] => {
    if (2 * r <= d) {
      const q = qr(randn(rng, d, 2 * r)).Q;
      return [sliceCols(q, 0, r), sliceCols(q, r, 2 * r)];
    }
    return [qr(randn(rng, d, r)).Q, qr(randn(rng, d, r)).Q];
  };
  const [ua, ub] = pair(dOut);
  const [va, vb] = pair(dIn);
  const S = diag(s);
  const mix = (a: Matrix, b: Matrix, t: number): Matrix => {
    const out = new Float64Array(a.data.length);
    const c = Math.cos(t);
    const si = Math.sin(t);
    for (let i = 0; i < out.length; i++) out[i] = c * a.data[i]! + si * b.data[i]!;
    return { rows: a.rows, cols: a.cols, data: out };
  };
  return (t) => matmulNT(matmul(mix(ua, ub, t), S), mix(va, vb, speedV * t));
}

/** A(t₁) − A(t₀). */
export function increment(path: (t: number) => Matrix, t0: number, t1: number): Matrix {
  return sub(path(t1), path(t0));
}

/** The row-convention forward query of a dense A: X (k×d_in) → X·Aᵀ (k×d_out). */
export function denseQuery(a: Matrix): (x: Matrix) => Matrix {
  return (x) => matmulNT(x, a);
}

/**
 * A(t) = Σ_j w_j(t)·l_j r_jᵀ with fixed random l_j, r_j (j < rank) and weights 1 for j < base,
 * t for j ≥ base: rank `base` at t = 0, rank `rank` for t > 0 — the rank-adaptive test case.
 */
export function growingRankPath(
  rng: Rng,
  dOut: number,
  dIn: number,
  base: number,
  rank: number,
): (t: number) => Matrix {
  const L = randn(rng, dOut, rank);
  const R = randn(rng, dIn, rank);
  return (t) => {
    const Lw = { rows: dOut, cols: rank, data: L.data.map((v, i) => (i % rank < base ? v : t * v)) };
    return matmulNT(Lw, R);
  };
}
