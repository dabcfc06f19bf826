import { ConvergenceError } from '@tenzo/core';
import { formQt, norm2 } from './householder.js';
import { transpose } from './matrix.js';
import { safeReciprocal } from './scaling.js';

/**
 * Golub–Kahan–Reinsch SVD (Golub & Reinsch 1970; the LINPACK dsvdc / JAMA formulation) of an
 * m×n matrix with m ≥ n, given COLUMN-MAJOR (`at[j*m + i]` = A(i, j), destroyed).
 *
 * Layout choices, all for speed in plain JS:
 * - bidiagonalization and the generation of U and V run on column-major arrays, where every
 *   Householder step is a contiguous dot/axpy;
 * - the implicit-shift QR sweeps on the bidiagonal compute all Givens rotations of a sweep first
 *   (they depend only on the bidiagonal) and then apply them to ROW-MAJOR U and V row by row,
 *   carrying one value in a register (LAPACK dlasr's trick): one streaming pass per sweep instead
 *   of one strided pass per rotation.
 *
 * Returns s (n, non-negative, descending), U: m×n row-major, V: n×n row-major (when asked).
 */
export function golubKahanSvd(
  at: Float64Array,
  m: number,
  n: number,
  wantU: boolean,
  wantV: boolean,
  maxSteps: number = svdStepCap(n),
): { s: Float64Array; U: Float64Array | null; V: Float64Array | null } {
  const nu = n;
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  const work = new Float64Array(m);
  const ut = wantU ? new Float64Array(nu * m) : null; // column-major U
  const vt = wantV ? new Float64Array(n * n) : null; // column-major V
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  const kmax = Math.max(nct, nrt);

  for (let k = 0; k < kmax; k++) {
    const ck = k * m;
    if (k < nct) {
      // column reflector: zero A(k+1:m, k)
      let nrm = norm2(at, ck + k, ck + m);
      if (nrm !== 0) {
        if (at[ck + k]! < 0) nrm = -nrm;
        const inv = safeReciprocal(nrm);
        if (inv === null) for (let i = k; i < m; i++) at[ck + i]! /= nrm;
        else for (let i = k; i < m; i++) at[ck + i]! *= inv;
        at[ck + k]! += 1;
      }
      s[k] = -nrm;
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        let t = 0;
        for (let i = k; i < m; i++) t += at[ck + i]! * at[cj + i]!;
        t = -t / at[ck + k]!;
        for (let i = k; i < m; i++) at[cj + i]! += t * at[ck + i]!;
      }
      e[j] = at[cj + k]!;
    }
    if (ut !== null && k < nct) for (let i = k; i < m; i++) ut[ck + i] = at[ck + i]!;
    if (k < nrt) {
      // row reflector: zero A(k, k+2:n)
      let nrm = norm2(e, k + 1, n);
      if (nrm !== 0) {
        if (e[k + 1]! < 0) nrm = -nrm;
        const inv = safeReciprocal(nrm);
        if (inv === null) for (let i = k + 1; i < n; i++) e[i]! /= nrm;
        else for (let i = k + 1; i < n; i++) e[i]! *= inv;
        e[k + 1]! += 1;
      }
      e[k] = -nrm;
      if (k + 1 < m && nrm !== 0) {
        work.fill(0, k + 1, m);
        for (let j = k + 1; j < n; j++) {
          const cj = j * m;
          const ej = e[j]!;
          for (let i = k + 1; i < m; i++) work[i]! += ej * at[cj + i]!;
        }
        for (let j = k + 1; j < n; j++) {
          const cj = j * m;
          const t = -e[j]! / e[k + 1]!;
          for (let i = k + 1; i < m; i++) at[cj + i]! += t * work[i]!;
        }
      }
      if (vt !== null) for (let i = k + 1; i < n; i++) vt[k * n + i] = e[i]!;
    }
  }

  const p = Math.min(n, m + 1);
  if (nct < n) s[nct] = at[nct * m + nct]!;
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = at[(p - 1) * m + nrt]!;
  e[p - 1] = 0;

  // Generate U and V from the stored reflectors with the blocked (compact WY) accumulation of
  // householder.ts. LINPACK stores H = I − u·uᵀ/u_k; in LAPACK form that is v = u/u_k, τ = u_k
  // (u_k ∈ [1, 2], so the division is safe).
  let uCols: Float64Array | null = null;
  if (ut !== null) {
    const tau = new Float64Array(nct);
    for (let k = 0; k < nct; k++) {
      if (s[k] === 0) continue;
      const ck = k * m;
      const uk = ut[ck + k]!;
      tau[k] = uk;
      for (let i = k + 1; i < m; i++) ut[ck + i]! /= uk;
    }
    uCols = formQt({ at: ut, m, n: nu, tau, perm: null }, nu);
  }
  let vCols: Float64Array | null = null;
  if (vt !== null) {
    // V = diag(1, V'), V' accumulated from the row reflectors acting on rows 1..n−1
    const n1 = n - 1;
    const w = new Float64Array(n1 * n1);
    const tau = new Float64Array(Math.min(nrt, n1));
    for (let k = 0; k < tau.length; k++) {
      if (e[k] === 0) continue;
      const ck = k * n;
      const vk = vt[ck + k + 1]!;
      tau[k] = vk;
      for (let i = k + 2; i < n; i++) w[k * n1 + i - 1] = vt[ck + i]! / vk;
    }
    const vsub = formQt({ at: w, m: n1, n: n1, tau, perm: null }, n1);
    vCols = new Float64Array(n * n);
    vCols[0] = 1;
    for (let c = 1; c < n; c++) vCols.set(vsub.subarray((c - 1) * n1, c * n1), c * n + 1);
  }

  // row-major from here on: rotations touch column pairs, i.e. neighbours within a row
  const U = uCols === null ? null : transpose({ rows: nu, cols: m, data: uCols }).data;
  const V = vCols === null ? null : transpose({ rows: n, cols: n, data: vCols }).data;
  bidiagonalQr(s, e, p, U, m, nu, V, n, maxSteps);
  for (let i = 0; i < n; i++) {
    // unreachable on finite input scaled into LAPACK's range (svd.ts); a guard, not a code path
    if (!Number.isFinite(s[i]!))
      throw new ConvergenceError(`svd: singular value ${i} is ${s[i]} after the bidiagonal QR`);
  }

  // sort descending once at the end (one column permutation instead of bubble swaps)
  const order = Array.from(s.keys()).sort((a, b) => s[b]! - s[a]!);
  if (order.some((v, i) => v !== i)) {
    const s2 = s.slice();
    for (let i = 0; i < n; i++) s[i] = s2[order[i]!]!;
    if (U !== null) permuteCols(U, m, nu, order);
    if (V !== null) permuteCols(V, n, n, order);
  }
  return { s, U, V };
}

function permuteCols(x: Float64Array, rows: number, cols: number, order: number[]): void {
  const tmp = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) tmp[j] = x[r + order[j]!]!;
    x.set(tmp, r);
  }
}

const EPS = 2 ** -52;
const TINY = 2 ** -966;
// Cap on the total number of rotation steps, LAPACK dbdsqr's MAXITR·n² (MAXITR = 6). Counting per
// singular value would be wrong: on graded matrices the bottom value waits while the block above it
// deflates from the top (80 sweeps for one value of a 150×150 with cond 1e12, 1.4 sweeps per value
// overall).
const MAXITR = 6;

/**
 * The step cap of the bidiagonal QR for an n×n bidiagonal: MAXITR·n² steps of QR sweeps plus 2n²
 * for the deflation chases (each chase zeroes one entry for good, ≤ n of each kind, ≤ n rotations
 * each) and 100 of slack. Every pass of the loop counts — a sweep or chase its rotations, a
 * converged value 1 — so NaN or a stalled branch ends in ConvergenceError instead of a hang.
 */
export function svdStepCap(n: number): number {
  return (MAXITR + 2) * n * n + 100;
}

/** Givens rotation (c, s) with c·f + s·g = r = hypot(f, g); (1, 0) for f = g = 0 (dlartg), never NaN. */
function givens(f: number, g: number, out: Float64Array): number {
  const r = Math.hypot(f, g);
  if (r === 0) {
    out[0] = 1;
    out[1] = 0;
  } else {
    out[0] = f / r;
    out[1] = g / r;
  }
  return r;
}

/** Rotates columns (j, k) of the row-major rows×cols matrix x: [x_j, x_k] ← [c·x_j + s·x_k, −s·x_j + c·x_k]. */
function rotateCols(
  x: Float64Array,
  rows: number,
  cols: number,
  j: number,
  k: number,
  c: number,
  sn: number,
): void {
  for (let i = 0; i < rows; i++) {
    const a = i * cols + j;
    const b = i * cols + k;
    const t = c * x[a]! + sn * x[b]!;
    x[b] = -sn * x[a]! + c * x[b]!;
    x[a] = t;
  }
}

/**
 * Applies the chain of rotations (cs[j], sn[j]) on columns (j, j+1), j = k..p−2, in order, to
 * every row of x: the rotated value moves right along the row in a register.
 */
function applyChain(
  x: Float64Array,
  rows: number,
  cols: number,
  k: number,
  p: number,
  cs: Float64Array,
  sn: Float64Array,
): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    let v = x[r + k]!;
    for (let j = k; j < p - 1; j++) {
      const c = cs[j]!;
      const s = sn[j]!;
      const w = x[r + j + 1]!;
      x[r + j] = c * v + s * w;
      v = -s * v + c * w;
    }
    x[r + p - 1] = v;
  }
}

/** Implicit zero-shift-safe QR iteration on the bidiagonal (s, e) (dsvdc's four cases). */
function bidiagonalQr(
  s: Float64Array,
  e: Float64Array,
  p: number,
  U: Float64Array | null,
  m: number,
  nu: number,
  V: Float64Array | null,
  n: number,
  maxSteps: number,
): void {
  const rot = new Float64Array(2);
  const csU = new Float64Array(n);
  const snU = new Float64Array(n);
  const csV = new Float64Array(n);
  const snV = new Float64Array(n);
  let steps = 0;
  while (p > 0) {
    if (steps > maxSteps) {
      throw new ConvergenceError(
        `svd: the bidiagonal QR iteration did not converge within ${maxSteps} steps (${steps} taken, every branch counted; ${p} singular values left)`,
      );
    }
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]!) <= TINY + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    let kase: number;
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    steps += kase === 4 ? 1 : Math.max(1, p - 1 - k);
    if (kase === 1) {
      // s[p−1] negligible: chase e[p−2] out with rotations from the right
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        s[j] = givens(s[j]!, f, rot);
        const cs = rot[0]!;
        const sn = rot[1]!;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        if (V !== null) rotateCols(V, n, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      // s[k−1] negligible: split, chasing e[k−1] with rotations from the left
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        s[j] = givens(s[j]!, f, rot);
        const cs = rot[0]!;
        const sn = rot[1]!;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        if (U !== null) rotateCols(U, m, nu, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      // Wilkinson-type shift from the trailing 2×2, scaled against overflow
      const scale = Math.max(
        Math.abs(s[p - 1]!),
        Math.abs(s[p - 2]!),
        Math.abs(e[p - 2]!),
        Math.abs(s[k]!),
        Math.abs(e[k]!),
      );
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = givens(f, g, rot);
        let cs = rot[0]!;
        let sn = rot[1]!;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        csV[j] = cs;
        snV[j] = sn;
        t = givens(f, g, rot);
        cs = rot[0]!;
        sn = rot[1]!;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        csU[j] = cs;
        snU[j] = sn;
      }
      e[p - 2] = f;
      if (V !== null) applyChain(V, n, n, k, p, csV, snV);
      if (U !== null) applyChain(U, m, nu, k, p, csU, snU);
    } else {
      // converged: make s[k] non-negative
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        if (V !== null) for (let i = 0; i < n; i++) V[i * n + k] = -V[i * n + k]!;
      }
      p--;
    }
  }
}
