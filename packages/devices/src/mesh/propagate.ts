import { ArgumentError, describeValue, ShapeError } from '@tenzo/core';
import { tensorKernels } from '../accel/blocks.js';
import { applyBlocksWasm } from '../accel/zoKernel.js';
import { checkVector } from '../argumentChecks.js';
import {
  classicalBlock,
  classicalBlockDerivatives,
  classicalBlockWithSplitting,
  threeMziBlock,
} from './blocks.js';
import type { MeshLayout } from './layout.js';

/** Everything static about a mesh: geometry, unit cell and fabrication imperfections. */
export interface MeshModel {
  readonly layout: MeshLayout;
  /** 'classical': the reference's MZI block; 'threeMzi': the reference's 3-MZI cell */
  readonly block: 'classical' | 'threeMzi';
  /** a phase screen on the N inputs (ω entries after the mesh phases) */
  readonly inputPhases: boolean;
  /** a phase screen on the N outputs (ω entries after the input screen) */
  readonly outputPhases: boolean;
  /** field transmission per block, 10^(−IL_dB/20) (1 = lossless) */
  readonly eta: number;
  /** static coupler splitting errors (ε1, ε2) per block, or null for ideal 50:50 couplers */
  readonly splitting: Float64Array | null;
}

/** Number of ω entries: two phases per block plus the enabled screens. */
export function meshParamSize(m: MeshModel): number {
  checkModel('meshParamSize', m);
  const n = m.layout.n;
  return 2 * m.layout.blockCount + (m.inputPhases ? n : 0) + (m.outputPhases ? n : 0);
}

/** The 2×2 matrix of every block (8 numbers each, indexed by offset/2), loss included. */
export function blockMatrices(m: MeshModel, phases: Float64Array, out: Float64Array): Float64Array {
  const scratch = new Float64Array(24);
  for (let k = 0; k < m.layout.blockCount; k++) {
    const p0 = phases[2 * k]!;
    const p1 = phases[2 * k + 1]!;
    if (m.block === 'threeMzi') threeMziBlock(p0, p1, out, 8 * k);
    else if (m.splitting)
      classicalBlockWithSplitting(p0, p1, m.splitting[2 * k]!, m.splitting[2 * k + 1]!, out, 8 * k, scratch);
    else classicalBlock(p0, p1, out, 8 * k);
    if (m.eta !== 1) for (let i = 0; i < 8; i++) out[8 * k + i]! *= m.eta;
  }
  return out;
}

/**
 * ∂T/∂(phase 0) and ∂T/∂(phase 1) of block k (16 numbers at 0). Closed form for the ideal classical
 * cell; otherwise a central difference of the cell (h = 1e-6, error ~1e-11 relative).
 */
export function blockDerivatives(m: MeshModel, phases: Float64Array, k: number, out: Float64Array): void {
  const p0 = phases[2 * k]!;
  const p1 = phases[2 * k + 1]!;
  if (m.block === 'classical' && !m.splitting) {
    classicalBlockDerivatives(p0, p1, out, 0);
  } else {
    const h = 1e-6;
    const t = new Float64Array(32);
    const scratch = new Float64Array(24);
    const cell = (a: number, b: number, o: number) => {
      if (m.block === 'threeMzi') threeMziBlock(a, b, t, o);
      else classicalBlockWithSplitting(a, b, m.splitting![2 * k]!, m.splitting![2 * k + 1]!, t, o, scratch);
    };
    cell(p0 + h, p1, 0);
    cell(p0 - h, p1, 8);
    cell(p0, p1 + h, 16);
    cell(p0, p1 - h, 24);
    for (let i = 0; i < 8; i++) {
      out[i] = (t[i]! - t[8 + i]!) / (2 * h);
      out[8 + i] = (t[16 + i]! - t[24 + i]!) / (2 * h);
    }
  }
  if (m.eta !== 1) for (let i = 0; i < 16; i++) out[i]! *= m.eta;
}

/** Multiplies mode j of a mode-major N×B state by e^{iψ_j} (ψ = phases[off + j]), sign ±1 for conj. */
export function applyScreen(
  phases: Float64Array,
  off: number,
  re: Float64Array,
  im: Float64Array,
  n: number,
  batch: number,
  sign = 1,
): void {
  for (let j = 0; j < n; j++) {
    const c = Math.cos(phases[off + j]!);
    const s = sign * Math.sin(phases[off + j]!);
    const o = j * batch;
    for (let b = 0; b < batch; b++) {
      const r = re[o + b]!;
      const i = im[o + b]!;
      re[o + b] = c * r - s * i;
      im[o + b] = c * i + s * r;
    }
  }
}

/**
 * Applies one 2×2 block T (8 numbers at t) to modes (m, m+1) of a mode-major N×B state:
 * the vectorised inner loop of the simulator (contiguous over the batch).
 */
export function applyBlock(
  T: Float64Array,
  t: number,
  m: number,
  re: Float64Array,
  im: Float64Array,
  batch: number,
): void {
  const a00r = T[t]!;
  const a00i = T[t + 1]!;
  const a01r = T[t + 2]!;
  const a01i = T[t + 3]!;
  const a10r = T[t + 4]!;
  const a10i = T[t + 5]!;
  const a11r = T[t + 6]!;
  const a11i = T[t + 7]!;
  const r0 = m * batch;
  const r1 = r0 + batch;
  for (let b = 0; b < batch; b++) {
    const x0r = re[r0 + b]!;
    const x0i = im[r0 + b]!;
    const x1r = re[r1 + b]!;
    const x1i = im[r1 + b]!;
    re[r0 + b] = a00r * x0r - a00i * x0i + a01r * x1r - a01i * x1i;
    im[r0 + b] = a00r * x0i + a00i * x0r + a01r * x1i + a01i * x1r;
    re[r1 + b] = a10r * x0r - a10i * x0i + a11r * x1r - a11i * x1i;
    im[r1 + b] = a10r * x0i + a10i * x0r + a11r * x1i + a11i * x1r;
  }
}

/** Applies the conjugate transpose Tᴴ of a block (scaled by `scale`) to modes (m, m+1). */
export function applyBlockAdjoint(
  T: Float64Array,
  t: number,
  m: number,
  re: Float64Array,
  im: Float64Array,
  batch: number,
  scale = 1,
): void {
  const H = new Float64Array(8);
  // (Tᴴ)_ij = conj(T_ji)
  H[0] = T[t]! * scale;
  H[1] = -T[t + 1]! * scale;
  H[2] = T[t + 4]! * scale;
  H[3] = -T[t + 5]! * scale;
  H[4] = T[t + 2]! * scale;
  H[5] = -T[t + 3]! * scale;
  H[6] = T[t + 6]! * scale;
  H[7] = -T[t + 7]! * scale;
  applyBlock(H, 0, m, re, im, batch);
}

/** Runs the whole mesh (screens included) on a mode-major N×B complex state in place. */
export function propagate(
  m: MeshModel,
  mats: Float64Array,
  phases: Float64Array,
  re: Float64Array,
  im: Float64Array,
  batch: number,
): void {
  const { layout } = m;
  const n = layout.n;
  const screen0 = 2 * layout.blockCount;
  if (m.inputPhases) applyScreen(phases, screen0, re, im, n, batch);
  const kernels = tensorKernels();
  if (kernels !== null) {
    // the blocks in WebAssembly (two samples per SIMD register), the same bits as below
    const { mode, index } = blockOrder(layout);
    applyBlocksWasm(kernels, re, im, batch, mode, index, mats);
  } else {
    for (let c = 0; c < layout.columns.length; c++) {
      const modes = layout.columns[c]!;
      const offs = layout.offsets[c]!;
      for (let k = 0; k < modes.length; k++) applyBlock(mats, 4 * offs[k]!, modes[k]!, re, im, batch);
    }
  }
  if (m.outputPhases) applyScreen(phases, screen0 + (m.inputPhases ? n : 0), re, im, n, batch);
}

const orders = new WeakMap<MeshLayout, { mode: Int32Array; index: Int32Array }>();

/** A layout's blocks in application order: each one's top mode and its index in `mats`. */
function blockOrder(layout: MeshLayout): { mode: Int32Array; index: Int32Array } {
  let order = orders.get(layout);
  if (order === undefined) {
    const mode = new Int32Array(layout.blockCount);
    const index = new Int32Array(layout.blockCount);
    let k = 0;
    for (let c = 0; c < layout.columns.length; c++) {
      const modes = layout.columns[c]!;
      const offs = layout.offsets[c]!;
      for (let j = 0; j < modes.length; j++, k++) {
        mode[k] = modes[j]!;
        index[k] = offs[j]! / 2;
      }
    }
    order = { mode, index };
    orders.set(layout, order);
  }
  return order;
}

/** The N×N complex transfer matrix U (row-major re, im) of the mesh at the given phases. */
export function meshUnitary(m: MeshModel, phases: Float64Array): { re: Float64Array; im: Float64Array } {
  checkModel('meshUnitary', m);
  checkVector('meshUnitary: phases', phases);
  if (phases.length !== meshParamSize(m))
    throw new ShapeError(`meshUnitary: phases expected length ${meshParamSize(m)}, got ${phases.length}`);
  const n = m.layout.n;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  // mode-major state with batch = n and column b = e_b: entry (mode i, sample b) is U_ib
  for (let i = 0; i < n; i++) re[i * n + i] = 1;
  const mats = blockMatrices(m, phases, new Float64Array(8 * m.layout.blockCount));
  propagate(m, mats, phases, re, im, n);
  return { re, im };
}

function checkModel(op: string, m: MeshModel): void {
  if (typeof m !== 'object' || m === null || typeof m.layout !== 'object' || m.layout === null)
    throw new ArgumentError(`${op}: m expected a MeshModel (a mesh's .model), got ${describeValue(m)}`);
}
