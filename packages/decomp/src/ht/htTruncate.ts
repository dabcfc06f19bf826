import { checkInt, checkNumber } from '@tenzo/core';
import { eigh, type Matrix, qr } from '@tenzo/linalg';
import { checkHTensor, type HTensor } from './hTensor.js';
import { rankFor } from './htSvd.js';

/** Options of `htTruncate`: the relative Frobenius error bound and an optional cap on every node rank. */
export interface HtTruncateOptions {
  /** relative Frobenius error bound ε (default 1e-12) */
  tol?: number;
  /** cap on every node rank (default: none) */
  maxRank?: number;
}

/** (X ⊗ Y)·B for B: (r_L·r_R)×r with X: p×r_L, Y: q×r_R → (p·q)×r */
function kronApply(X: Matrix, Y: Matrix, B: Matrix): Matrix {
  const rl = X.cols;
  const rr = Y.cols;
  const r = B.cols;
  const p = X.rows;
  const q = Y.rows;
  // first over b: T[(a·q + b'), s] = Σ_b Y[b', b] B[(a·rr + b), s]
  const t = new Float64Array(rl * q * r);
  for (let a = 0; a < rl; a++)
    for (let b2 = 0; b2 < q; b2++)
      for (let b = 0; b < rr; b++) {
        const y = Y.data[b2 * rr + b]!;
        if (y === 0) continue;
        for (let s = 0; s < r; s++) t[(a * q + b2) * r + s]! += y * B.data[(a * rr + b) * r + s]!;
      }
  const out = new Float64Array(p * q * r);
  for (let a2 = 0; a2 < p; a2++)
    for (let a = 0; a < rl; a++) {
      const x = X.data[a2 * rl + a]!;
      if (x === 0) continue;
      for (let j = 0; j < q * r; j++) out[a2 * q * r + j]! += x * t[a * q * r + j]!;
    }
  return { rows: p * q, cols: r, data: out };
}

function transposeM(a: Matrix): Matrix {
  const out = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, data: out };
}

function mulM(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k]!;
      if (x !== 0) for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += x * b.data[k * b.cols + j]!;
    }
  return { rows: a.rows, cols: b.cols, data: out };
}

/**
 * HT rounding (Grasedyck 2010, Alg. 2 on an orthogonalised tensor; Kressner & Tobler's
 * `truncate_ht`): orthogonalise bottom-up by QR (each node basis becomes orthonormal), compute
 * the reduced Gramians top-down (G_L = Σ B G_t Bᵀ over the sibling index, G_root = 1), and keep at
 * every node the leading eigenvectors of G_t: singular values σ = √λ, truncated at
 * δ = ε‖A‖/√(2d − 3), so ‖A − round(A)‖ ≤ ε‖A‖ up to rounding.
 */
export function htTruncate(ht: HTensor, options: HtTruncateOptions = {}): HTensor {
  checkHTensor('htTruncate', ht);
  const tol = checkNumber('htTruncate: options.tol', options.tol ?? 1e-12, { min: 0 });
  const maxRank =
    options.maxRank === undefined
      ? Number.POSITIVE_INFINITY
      : checkInt('htTruncate: options.maxRank', options.maxRank, { positive: true });
  const { tree } = ht;
  const d = tree.d;
  const cores: Matrix[] = ht.cores.map((c) => ({ rows: c.rows, cols: c.cols, data: c.data.slice() }));
  // 1. orthogonalise bottom-up: R factors are pushed into the parent
  const R: Matrix[] = [];
  for (const id of tree.postorder) {
    const node = tree.nodes[id]!;
    let c = cores[id]!;
    if (node.left >= 0) c = kronApply(R[node.left]!, R[node.right]!, c);
    if (node.parent >= 0) {
      const f = qr(c);
      cores[id] = f.Q;
      R[id] = f.R;
    } else cores[id] = c;
  }
  let norm2 = 0;
  for (const v of cores[0]!.data) norm2 += v * v;
  const delta = (tol * Math.sqrt(norm2)) / Math.sqrt(Math.max(1, 2 * d - 3));
  // 2. Gramians top-down (pre-order: parents first)
  const gram: Matrix[] = [];
  gram[0] = { rows: 1, cols: 1, data: Float64Array.of(1) };
  const S: Matrix[] = [];
  for (const node of tree.nodes) {
    if (node.left < 0) continue;
    const B = cores[node.id]!;
    const G = gram[node.id]!;
    const rl = cores[node.left]!.cols;
    const rr = cores[node.right]!.cols;
    const r = B.cols;
    const BG = mulM(B, G); // (rl·rr)×r
    const GL = new Float64Array(rl * rl);
    const GR = new Float64Array(rr * rr);
    for (let a = 0; a < rl; a++)
      for (let b = 0; b < rr; b++)
        for (let s = 0; s < r; s++) {
          const x = BG.data[(a * rr + b) * r + s]!;
          if (x === 0) continue;
          for (let a2 = 0; a2 < rl; a2++) GL[a * rl + a2]! += x * B.data[(a2 * rr + b) * r + s]!;
          for (let b2 = 0; b2 < rr; b2++) GR[b * rr + b2]! += x * B.data[(a * rr + b2) * r + s]!;
        }
    gram[node.left] = { rows: rl, cols: rl, data: GL };
    gram[node.right] = { rows: rr, cols: rr, data: GR };
  }
  // 3. truncation matrices from the Gramians' leading eigenvectors
  for (const node of tree.nodes) {
    if (node.parent < 0) continue;
    const G = gram[node.id]!;
    const { values, vectors } = eigh(G);
    const n = values.length;
    const sv = Array.from({ length: n }, (_, j) => Math.sqrt(Math.max(0, values[n - 1 - j]!)));
    const k = node.dummy ? n : rankFor(sv, delta, maxRank);
    const s = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) s[i * k + j] = vectors.data[i * n + (n - 1 - j)]!;
    S[node.id] = { rows: n, cols: k, data: s };
  }
  // 4. apply: leaf U ← U·S, internal B ← (S_L ⊗ S_R)ᵀ·B·S (root: without the right factor)
  for (const node of tree.nodes) {
    let c = cores[node.id]!;
    if (node.left >= 0) c = kronApply(transposeM(S[node.left]!), transposeM(S[node.right]!), c);
    if (node.parent >= 0) c = mulM(c, S[node.id]!);
    cores[node.id] = c;
  }
  return { tree, shape: Int32Array.from(ht.shape), cores };
}
