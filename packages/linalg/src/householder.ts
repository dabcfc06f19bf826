/**
 * Householder kernels shared by qr, svd and lstsq. Everything here works on COLUMN-MAJOR
 * storage (`at[j * m + i]` is entry (i, j) of an m×n matrix, i.e. the row-major data of Aᵀ):
 * a Householder step reads and updates whole columns, so column-major makes every inner loop a
 * contiguous dot product or axpy. (ml-matrix walks columns of row-major storage, which is what
 * makes it slow.) Internal: not re-exported from the package index.
 */

import { gemmNTInto } from './matmul.js';
import { safeReciprocal } from './scaling.js';

const SQRT_EPS = Math.sqrt(2 ** -52);
// below TINY or above HUGE, sums of squares under- or overflow; rescale (LAPACK dnrm2's reason)
const TINY = 2 ** -500;
const HUGE = 2 ** 500;

/** ‖x[from..to)‖₂ without spurious overflow/underflow. */
export function norm2(x: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) {
    const v = x[i]!;
    s += v * v;
  }
  if (s > TINY && s < HUGE) return Math.sqrt(s);
  let amax = 0;
  for (let i = from; i < to; i++) amax = Math.max(amax, Math.abs(x[i]!));
  if (amax === 0) return 0;
  let t = 0;
  for (let i = from; i < to; i++) {
    const v = x[i]! / amax;
    t += v * v;
  }
  return amax * Math.sqrt(t);
}

export interface HouseholderQr {
  /** column-major m×n: R on and above the diagonal, reflector tails below it */
  at: Float64Array;
  m: number;
  n: number;
  /** H_k = I − tau[k]·v_k·v_kᵀ with v_k[k] = 1, k < min(m, n) */
  tau: Float64Array;
  /** column permutation (pivoted only): A[:, perm] = Q·R */
  perm: Int32Array | null;
}

/**
 * In-place Householder QR of the column-major m×n matrix `at` (LAPACK dgeqr2 / dgeqp3 with
 * Businger–Golub column pivoting when `pivot`). Pivoted norms are downdated and recomputed when
 * cancellation makes the downdate unreliable (the dlaqp2 test with √eps).
 */
export function householderQr(at: Float64Array, m: number, n: number, pivot: boolean): HouseholderQr {
  const kmax = Math.min(m, n);
  const tau = new Float64Array(kmax);
  if (pivot) return pivotedQr(at, m, n, tau);
  for (let k = 0; k < kmax; k += NB) {
    const kb = Math.min(NB, kmax - k);
    const panelEnd = k + kb;
    // factor the panel with level-2 steps, touching only its own columns ...
    for (let j = k; j < panelEnd; j++) tau[j] = reflectColumn(at, m, j, panelEnd);
    // ... then update all trailing columns at once with matrix-matrix products (compact WY)
    if (panelEnd < n) applyBlock(at, m, k, kb, tau, at, panelEnd, n, true);
  }
  return { at, m, n, tau, perm: null };
}

// Panel width of the blocked QR: wide enough that the trailing update is a real GEMM, narrow
// enough that the level-2 panel work (∝ NB) stays small.
const NB = 32;

/**
 * Householder reflector for column k (rows k..m) of the column-major `at`, stored in place
 * (β on the diagonal, v's tail below, v[k] = 1 implicit), applied to columns k+1..nEnd−1.
 * Returns τ (0 when the column below the diagonal is already zero: H = I).
 */
function reflectColumn(at: Float64Array, m: number, k: number, nEnd: number): number {
  const ck = k * m;
  const alpha = at[ck + k]!;
  const xnorm = norm2(at, ck + k + 1, ck + m);
  if (xnorm === 0) return 0;
  const beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
  const t = (beta - alpha) / beta;
  // v = x/(α − β); 1/(α − β) overflows when α − β is subnormal, so divide then (dlarfg's concern)
  const d = alpha - beta;
  const scale = safeReciprocal(d);
  if (scale === null) for (let i = ck + k + 1; i < ck + m; i++) at[i]! /= d;
  else for (let i = ck + k + 1; i < ck + m; i++) at[i]! *= scale;
  at[ck + k] = beta;
  for (let j = k + 1; j < nEnd; j++) {
    const cj = j * m;
    let w = at[cj + k]!;
    for (let i = k + 1; i < m; i++) w += at[ck + i]! * at[cj + i]!;
    w *= t;
    at[cj + k]! -= w;
    for (let i = k + 1; i < m; i++) at[cj + i]! -= w * at[ck + i]!;
  }
  return t;
}

/**
 * Applies the block reflector of reflectors k..k+kb−1, H = H_k·…·H_{k+kb−1} = I − V·T·Vᵀ
 * (Schreiber–Van Loan compact WY, LAPACK dlarft/dlarfb), to columns [c0, c1) of the column-major
 * m-row array `c` (rows k..m): Hᵀ·C when `transposeH` (factorization), H·C otherwise (forming Q).
 */
function applyBlock(
  at: Float64Array,
  m: number,
  k: number,
  kb: number,
  tau: Float64Array,
  c: Float64Array,
  c0: number,
  c1: number,
  transposeH: boolean,
): void {
  const L = m - k;
  const nc = c1 - c0;
  if (nc <= 0 || L <= 0) return;
  // V packed both ways: vp (kb×L, rows = reflectors) and vpt (L×kb)
  const vp = new Float64Array(kb * L);
  const vpt = new Float64Array(L * kb);
  for (let p = 0; p < kb; p++) {
    const src = (k + p) * m + k;
    const row = p * L;
    vp[row + p] = 1;
    vpt[p * kb + p] = 1;
    for (let i = p + 1; i < L; i++) {
      const v = at[src + i]!;
      vp[row + i] = v;
      vpt[i * kb + p] = v;
    }
  }
  // T upper triangular: T[0:q, q] = −τ_q·T[0:q, 0:q]·(V[:, 0:q]ᵀ·v_q)
  const g = new Float64Array(kb * kb);
  gemmNTInto(vp, 0, L, vp, 0, L, g, 0, kb, kb, kb, L);
  const T = new Float64Array(kb * kb);
  for (let q = 0; q < kb; q++) {
    const tq = tau[k + q]!;
    T[q * kb + q] = tq;
    for (let p = 0; p < q; p++) {
      let s = 0;
      for (let r = p; r < q; r++) s += T[p * kb + r]! * g[r * kb + q]!;
      T[p * kb + q] = -tq * s;
    }
  }
  // Wt = Cᵀ·V (nc×kb), Yt = Wt·T (for Hᵀ: Y = Tᵀ·W) or Wt·Tᵀ (for H: Y = T·W), C −= V·Y
  const wt = new Float64Array(nc * kb);
  gemmNTInto(c, c0 * m + k, m, vp, 0, L, wt, 0, kb, nc, kb, L);
  const yt = new Float64Array(nc * kb);
  for (let j = 0; j < nc; j++) {
    const w = j * kb;
    for (let q = 0; q < kb; q++) {
      let s = 0;
      if (transposeH) for (let p = 0; p <= q; p++) s += wt[w + p]! * T[p * kb + q]!;
      else for (let p = q; p < kb; p++) s += wt[w + p]! * T[q * kb + p]!;
      yt[w + q] = s;
    }
  }
  gemmNTInto(yt, 0, kb, vpt, 0, kb, c, c0 * m + k, m, nc, L, kb, -1);
}

function pivotedQr(at: Float64Array, m: number, n: number, tau: Float64Array): HouseholderQr {
  const kmax = tau.length;
  const perm = new Int32Array(n);
  const vn1 = new Float64Array(n);
  const vn2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    perm[j] = j;
    vn1[j] = vn2[j] = norm2(at, j * m, j * m + m);
  }
  for (let k = 0; k < kmax; k++) {
    let p = k;
    for (let j = k + 1; j < n; j++) if (vn1[j]! > vn1[p]!) p = j;
    if (p !== k) {
      const ck = k * m;
      const cp = p * m;
      for (let i = 0; i < m; i++) {
        const t = at[ck + i]!;
        at[ck + i] = at[cp + i]!;
        at[cp + i] = t;
      }
      const tp = perm[p]!;
      perm[p] = perm[k]!;
      perm[k] = tp;
      vn1[p] = vn1[k]!;
      vn2[p] = vn2[k]!;
    }
    tau[k] = reflectColumn(at, m, k, n);
    for (let j = k + 1; j < n; j++) {
      const v = vn1[j]!;
      if (v === 0) continue;
      const r = Math.abs(at[j * m + k]!) / v;
      const temp = Math.max(0, 1 - r * r);
      const ratio = v / vn2[j]!;
      if (temp * ratio * ratio <= SQRT_EPS) {
        vn1[j] = vn2[j] = norm2(at, j * m + k + 1, j * m + m);
      } else {
        vn1[j] = v * Math.sqrt(temp);
      }
    }
  }
  return { at, m, n, tau, perm };
}

/**
 * Q's first `kq` columns, column-major (kq×m array = row-major Qᵀ), by backward accumulation
 * Q = H_0·…·H_{r−1}·I[:, :kq]: applying the reflectors last-first keeps column c < j untouched
 * by H_j, so each step only updates columns j..kq.
 */
export function formQt(f: HouseholderQr, kq: number): Float64Array {
  const { at, m, tau } = f;
  const r = tau.length;
  const qt = new Float64Array(kq * m);
  for (let c = 0; c < kq; c++) qt[c * m + c] = 1;
  // blocks last-first, each applied to columns k..kq (earlier columns are still e_c there)
  const lastBlock = r === 0 ? -1 : Math.floor((r - 1) / NB) * NB;
  for (let k = lastBlock; k >= 0; k -= NB) {
    const kb = Math.min(NB, r - k);
    if (kq - k >= 8) {
      applyBlock(at, m, k, kb, tau, qt, k, kq, false);
      continue;
    }
    for (let j = k + kb - 1; j >= k; j--) {
      const t = tau[j]!;
      if (t === 0) continue;
      const cj = j * m;
      for (let c = j; c < kq; c++) {
        const q = c * m;
        let w = qt[q + j]!;
        for (let i = j + 1; i < m; i++) w += at[cj + i]! * qt[q + i]!;
        w *= t;
        qt[q + j]! -= w;
        for (let i = j + 1; i < m; i++) qt[q + i]! -= w * at[cj + i]!;
      }
    }
  }
  return qt;
}

/** R (kr×n, row-major, upper triangular/trapezoidal) from the factored column-major storage. */
export function extractR(f: HouseholderQr, kr: number): Float64Array {
  const { at, m, n } = f;
  const r = new Float64Array(kr * n);
  const lim = Math.min(kr, m);
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    const top = Math.min(j + 1, lim);
    for (let i = 0; i < top; i++) r[i * n + j] = at[cj + i]!;
  }
  return r;
}
