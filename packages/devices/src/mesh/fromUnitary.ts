import { ArgumentError, checkInt, checkNumbers } from '@tenzo/core';
import { clementsLayout, type MeshLayout, reckLayout } from './layout.js';

/** One 2×2 unitary acting on modes (m, m+1), 8 numbers (see blocks.ts). */
interface Op {
  m: number;
  T: Float64Array;
}

/**
 * Phases that make a lossless mesh of the reference's classical cells realise the unitary U
 * (N×N, row-major re/im): the Clements et al. (2016) rectangular decomposition, or Reck's
 * triangular one. The cell T(φ0, φ1) carries its free phase on the output side, so the diagonal
 * left over by the nulling is pushed towards the input and realised by an input phase screen:
 * the result has layout.blockCount·2 mesh phases followed by N input phases (use it with
 * `mziMesh({ ..., block: 'classical', inputPhases: true })`).
 *
 * Algorithm: null the lower triangle with complex Givens rotations, alternately from the right
 * (columns) and from the left (rows) for Clements, only from the left for Reck, so that
 * U = L_1ᴴ⋯L_pᴴ · D · R_qᴴ⋯R_1ᴴ. Then sweep from the output to the input, factoring each
 * (diagonal · rotation) into T(φ0, φ1) · diag(g1, g2) and carrying diag(g1, g2) onwards.
 */
export function fromUnitary(
  re: Float64Array,
  im: Float64Array,
  n: number,
  topology: 'clements' | 'reck' = 'clements',
): Float64Array {
  checkInt('fromUnitary: n', n, { min: 2, max: 4096 });
  checkNumbers('fromUnitary: re', re, { length: n * n });
  checkNumbers('fromUnitary: im', im, { length: n * n });
  checkUnitary(re, im, n);
  const layout: MeshLayout =
    topology === 'clements' ? clementsLayout(n) : topology === 'reck' ? reckLayout(n) : badTopology(topology);
  const ur = re.slice();
  const ui = im.slice();
  const right: Op[] = [];
  const left: Op[] = [];
  const nullLeft = (r: number, k: number) => {
    // rows (r−1, r): L = [[ā, b̄], [−b, a]]/ν nulls U[r, k]
    const ar = ur[(r - 1) * n + k]!;
    const ai = ui[(r - 1) * n + k]!;
    const br = ur[r * n + k]!;
    const bi = ui[r * n + k]!;
    const nu = Math.hypot(ar, ai, br, bi);
    const T =
      nu === 0
        ? identity()
        : Float64Array.of(ar / nu, -ai / nu, br / nu, -bi / nu, -br / nu, -bi / nu, ar / nu, ai / nu);
    rowOp(T, r - 1, ur, ui, n);
    left.push({ m: r - 1, T });
  };
  const nullRight = (r: number, c: number) => {
    // columns (c, c+1): R = [[b, ā], [−a, b̄]]/ν nulls U[r, c]
    const ar = ur[r * n + c]!;
    const ai = ui[r * n + c]!;
    const br = ur[r * n + c + 1]!;
    const bi = ui[r * n + c + 1]!;
    const nu = Math.hypot(ar, ai, br, bi);
    const T =
      nu === 0
        ? identity()
        : Float64Array.of(br / nu, bi / nu, ar / nu, -ai / nu, -ar / nu, -ai / nu, br / nu, -bi / nu);
    colOp(T, c, ur, ui, n);
    right.push({ m: c, T });
  };
  if (topology === 'clements') {
    for (let i = 1; i < n; i++) {
      if (i % 2 === 1) for (let j = 0; j < i; j++) nullRight(n - 1 - j, i - 1 - j);
      else for (let j = 1; j <= i; j++) nullLeft(n + j - i - 1, j - 1);
    }
  } else {
    for (let k = 0; k < n - 1; k++) for (let r = n - 1; r > k; r--) nullLeft(r, k);
  }
  // application order (input first): R_1ᴴ … R_qᴴ, D, L_pᴴ … L_1ᴴ; sweep it from the output end
  const carryR = new Float64Array(n).fill(1);
  const carryI = new Float64Array(n);
  const blocks: { m: number; phi0: number; phi1: number }[] = [];
  const W = new Float64Array(8);
  const sweep = (op: Op, inverse: boolean) => {
    const V = inverse ? adjoint(op.T) : op.T;
    const m = op.m;
    // W = diag(e_m, e_{m+1}) · V
    for (let i = 0; i < 2; i++) {
      const er = carryR[m + i]!;
      const ei = carryI[m + i]!;
      for (let j = 0; j < 2; j++) {
        const vr = V[4 * i + 2 * j]!;
        const vi = V[4 * i + 2 * j + 1]!;
        W[4 * i + 2 * j] = er * vr - ei * vi;
        W[4 * i + 2 * j + 1] = er * vi + ei * vr;
      }
    }
    // W = T(φ0, φ1) · diag(g1, g2): |W10| = cos φ1, |W11| = sin φ1, g1 = W10/cos φ1, g2 = −W11/sin φ1
    const c = Math.hypot(W[4]!, W[5]!);
    const s = Math.hypot(W[6]!, W[7]!);
    const phi1 = Math.atan2(s, c);
    const g1 = c > 1e-300 ? Math.atan2(W[5]!, W[4]!) : 0;
    const g2 = s > 1e-300 ? Math.atan2(-W[7]!, -W[6]!) : 0;
    const phi0 = s >= c ? Math.atan2(W[1]!, W[0]!) - g1 : Math.atan2(W[3]!, W[2]!) - g2;
    carryR[m] = Math.cos(g1);
    carryI[m] = Math.sin(g1);
    carryR[m + 1] = Math.cos(g2);
    carryI[m + 1] = Math.sin(g2);
    blocks.push({ m, phi0, phi1 });
  };
  for (const op of left) sweep(op, true);
  for (let j = 0; j < n; j++) {
    // carry ← carry · D
    const dr = ur[j * n + j]!;
    const di = ui[j * n + j]!;
    const cr = carryR[j]!;
    const ci = carryI[j]!;
    carryR[j] = cr * dr - ci * di;
    carryI[j] = cr * di + ci * dr;
  }
  for (let k = right.length - 1; k >= 0; k--) sweep(right[k]!, true);
  blocks.reverse();

  // place the blocks (now in application order) into the layout's slots
  const slot = new Map<number, number>();
  for (let c = 0; c < layout.columns.length; c++) {
    const modes = layout.columns[c]!;
    for (let k = 0; k < modes.length; k++) slot.set(c * n + modes[k]!, layout.offsets[c]![k]!);
  }
  const last = new Int32Array(n).fill(-1);
  const out = new Float64Array(2 * layout.blockCount + n);
  for (const b of blocks) {
    let c = Math.max(last[b.m]!, last[b.m + 1]!) + 1;
    if (topology === 'clements' && c % 2 !== b.m % 2) c++;
    last[b.m] = c;
    last[b.m + 1] = c;
    const off = slot.get(c * n + b.m);
    if (off === undefined)
      throw new ArgumentError(`fromUnitary: block on modes ${b.m},${b.m + 1} does not fit column ${c}`);
    out[off] = b.phi0;
    out[off + 1] = b.phi1;
  }
  for (let j = 0; j < n; j++) out[2 * layout.blockCount + j] = Math.atan2(carryI[j]!, carryR[j]!);
  return out;
}

function badTopology(t: unknown): never {
  throw new ArgumentError(`topology: expected 'clements' or 'reck', got ${String(t)}`);
}

function identity(): Float64Array {
  return Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0);
}

function adjoint(T: Float64Array): Float64Array {
  return Float64Array.of(T[0]!, -T[1]!, T[4]!, -T[5]!, T[2]!, -T[3]!, T[6]!, -T[7]!);
}

/** rows (m, m+1) of U ← T · rows */
function rowOp(T: Float64Array, m: number, ur: Float64Array, ui: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    const x0r = ur[m * n + k]!;
    const x0i = ui[m * n + k]!;
    const x1r = ur[(m + 1) * n + k]!;
    const x1i = ui[(m + 1) * n + k]!;
    ur[m * n + k] = T[0]! * x0r - T[1]! * x0i + T[2]! * x1r - T[3]! * x1i;
    ui[m * n + k] = T[0]! * x0i + T[1]! * x0r + T[2]! * x1i + T[3]! * x1r;
    ur[(m + 1) * n + k] = T[4]! * x0r - T[5]! * x0i + T[6]! * x1r - T[7]! * x1i;
    ui[(m + 1) * n + k] = T[4]! * x0i + T[5]! * x0r + T[6]! * x1i + T[7]! * x1r;
  }
}

/** columns (c, c+1) of U ← columns · T */
function colOp(T: Float64Array, c: number, ur: Float64Array, ui: Float64Array, n: number): void {
  for (let r = 0; r < n; r++) {
    const ar = ur[r * n + c]!;
    const ai = ui[r * n + c]!;
    const br = ur[r * n + c + 1]!;
    const bi = ui[r * n + c + 1]!;
    ur[r * n + c] = ar * T[0]! - ai * T[1]! + br * T[4]! - bi * T[5]!;
    ui[r * n + c] = ar * T[1]! + ai * T[0]! + br * T[5]! + bi * T[4]!;
    ur[r * n + c + 1] = ar * T[2]! - ai * T[3]! + br * T[6]! - bi * T[7]!;
    ui[r * n + c + 1] = ar * T[3]! + ai * T[2]! + br * T[7]! + bi * T[6]!;
  }
}

/**
 * max |(UᴴU − I)_jk| ≤ 1e-8·n: a mesh of lossless cells realises only unitaries, and the nulling
 * below would return phases for some other matrix without a word (O(n³), like the decomposition).
 */
function checkUnitary(re: ArrayLike<number>, im: ArrayLike<number>, n: number): void {
  let worst = 0;
  for (let j = 0; j < n; j++)
    for (let k = j; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let i = 0; i < n; i++) {
        // conj(U_ij)·U_ik
        const ar = re[i * n + j]!;
        const ai = im[i * n + j]!;
        const br = re[i * n + k]!;
        const bi = im[i * n + k]!;
        sr += ar * br + ai * bi;
        si += ar * bi - ai * br;
      }
      worst = Math.max(worst, Math.hypot(sr - (j === k ? 1 : 0), si));
    }
  if (!(worst <= 1e-8 * n))
    throw new ArgumentError(`fromUnitary: re/im expected a unitary matrix, got max |UᴴU − I| = ${worst}`);
}
