import { fromTypedArray, matmul } from '@tenzo/tensor';
import type { ParamBounds } from '../device.js';
import { blocksMatchWhole, tensorKernels } from './blocks.js';
import { outputBlocks, slices, ZO_CHUNKS, type ZoExecutor } from './executor.js';
import type { ElementwiseLaw, MeshLaw } from './projectedZo.js';
import { sharedFloat64 } from './shardedQuery.js';
import { meshContract, type ZoKernelSpec } from './zoKernel.js';

// The law-specific halves of a projected estimate's kernel spec: the elementwise devices' per-entry
// tables (SLM, microring bank) and the mesh's cells in application order.

/** The law-specific part of a kernel spec, with the noiseless baseline ⟨f_ω(P), W⟩. */
export type LawFields = Omit<
  ZoKernelSpec,
  | 'p'
  | 'q'
  | 'mu'
  | 'directions'
  | 'key0'
  | 'key1'
  | 'noiseScale'
  | 'noiseKey0'
  | 'noiseKey1'
  | 'baseOffset'
  | 'diffs'
  | 'partials'
> & { readonly cleanBase: number };

const EMPTY = new Float64Array(0);

/** shared copies of the devices' bounds (fixed for a device), made once */
const sharedBounds = new WeakMap<Float64Array, Float64Array>();

function sharedCopy(a: Float64Array): Float64Array {
  let c = sharedBounds.get(a);
  if (c === undefined) {
    c = sharedFloat64(a.length);
    c.set(a);
    sharedBounds.set(a, c);
  }
  return c;
}

export async function elementwiseFields(
  law: ElementwiseLaw,
  P: Float64Array,
  W: Float64Array,
  omega: Float64Array,
  rows: number,
  dIn: number,
  dOut: number,
  mu: number,
  directions: 'gaussian' | 'rademacher',
  bounds: ParamBounds,
  alloc: (n: number) => Float64Array,
  executor: ZoExecutor,
): Promise<LawFields> {
  const p = dIn * dOut;
  // G = Wᵀ P (d_out×d_in): the only thing of the batch the contraction needs; on worker threads
  // it is formed row block by row block with the tables (the same numbers, see blocksMatchWhole)
  const G = alloc(p);
  const rowChunks = outputBlocks(executor, dOut);
  const blocked = executor.shared && blocksMatchWhole(Math.floor(dOut / rowChunks), dIn, rows);
  if (!blocked)
    G.set(
      matmul(fromTypedArray(W, [rows, dOut]), fromTypedArray(P, [rows, dIn]), { transposeA: true })
        .data as Float64Array,
    );
  const shared = (a: Float64Array) => {
    const out = alloc(a.length);
    out.set(a);
    return out;
  };
  const rademacher = directions === 'rademacher';
  const allPass = law.law === 'allPass';
  const alpha = allPass ? law.a * law.a + law.r * law.r : 0;
  const beta = allPass ? 2 * law.a * law.r : 0;
  const gamma = allPass ? 1 + law.a * law.a * law.r * law.r : 0;
  const tables = {
    law: law.law,
    mu,
    directions,
    scale: law.law === 'cos' ? law.scale : 1,
    G,
    omega: shared(omega),
    lower: executor.shared ? sharedCopy(bounds.lower) : bounds.lower,
    upper: executor.shared ? sharedCopy(bounds.upper) : bounds.upper,
    C: alloc(p),
    S: alloc(p),
    slackLo: alloc(p),
    slackHi: alloc(p),
    G2: allPass ? alloc(p) : EMPTY,
    T0: allPass ? alloc(p) : EMPTY,
    alpha,
    beta,
    gamma,
    Diff: rademacher ? alloc(p) : EMPTY,
    Minus: rademacher ? alloc(p) : EMPTY,
    ...(blocked ? { P: shared(P), W: shared(W), rows, dIn, dOut, gemm: tensorKernels()! } : {}),
  };
  // the per-entry tables on the executor's threads (entries are independent: any split gives the
  // same tables), then the sums in entry order on this one, as a single pass forms them
  await executor.run(
    tables as unknown as ZoKernelSpec,
    blocked ? slices('fields', dOut, rowChunks) : slices('setup', p, Math.min(p, ZO_CHUNKS)),
  );
  let minSlack = Number.POSITIVE_INFINITY;
  let cleanBase = 0;
  let minusSum = 0;
  const { C, T0, Minus, slackLo, slackHi } = tables;
  for (let k = 0; k < p; k++) {
    if (slackLo[k]! < minSlack) minSlack = slackLo[k]!;
    if (slackHi[k]! < minSlack) minSlack = slackHi[k]!;
    cleanBase += allPass ? G[k]! * (2 * T0[k]! - 1) : C[k]!;
    if (rademacher) minusSum += Minus[k]!;
  }
  return { ...tables, minSlack, minusSum, cleanBase };
}

export function meshFields(
  law: MeshLaw,
  P: Float64Array,
  W: Float64Array,
  omega: Float64Array,
  rows: number,
  dIn: number,
  dOut: number,
  mu: number,
  alloc: (n: number) => Float64Array,
): LawFields {
  const { layout, eta } = law;
  const n = layout.n;
  const nb = layout.blockCount;
  // the cells in application order: top mode, offset of their phases, cos/sin of both phases
  const blockMode = new Int32Array(nb);
  const blockOff = new Int32Array(nb);
  const C0 = alloc(nb);
  const S0 = alloc(nb);
  const C1 = alloc(nb);
  const S1 = alloc(nb);
  let k = 0;
  for (let c = 0; c < layout.columns.length; c++) {
    const modes = layout.columns[c]!;
    const offs = layout.offsets[c]!;
    for (let j = 0; j < modes.length; j++, k++) {
      const o = offs[j]!;
      blockMode[k] = modes[j]!;
      blockOff[k] = o;
      C0[k] = Math.cos(omega[o]!);
      S0[k] = Math.sin(omega[o]!);
      C1[k] = Math.cos(omega[o + 1]!);
      S1[k] = Math.sin(omega[o + 1]!);
    }
  }
  // inputs zero-padded to n modes and weights, both mode-major (contiguous over the rows)
  const X0 = alloc(n * rows);
  X0.fill(0);
  for (let j = 0; j < dIn; j++) for (let b = 0; b < rows; b++) X0[j * rows + b] = P[b * dIn + j]!;
  const Wm = alloc(dOut * rows);
  for (let i = 0; i < dOut; i++) for (let b = 0; b < rows; b++) Wm[i * rows + b] = W[b * dOut + i]!;
  const fields = {
    law: 'mesh' as const,
    C: EMPTY,
    S: EMPTY,
    G2: EMPTY,
    T0: EMPTY,
    alpha: 0,
    beta: 0,
    gamma: 0,
    slackLo: EMPTY,
    slackHi: EMPTY,
    minSlack: Number.POSITIVE_INFINITY,
    Diff: EMPTY,
    minusSum: 0,
    n,
    rows,
    dOut,
    eta,
    mu,
    blockMode: shareInts(blockMode, X0),
    blockOff: shareInts(blockOff, X0),
    C0,
    S0,
    C1,
    S1,
    X0,
    Wm,
    // the rows go through @tenzo/tensor's meshCells64 where its module compiles (same bits)
    ...(tensorKernels() === null ? {} : { gemm: tensorKernels()! }),
    cleanBase: 0,
  };
  const cleanBase = meshContract(
    fields as unknown as ZoKernelSpec,
    null,
    new Float64Array(n * rows),
    new Float64Array(n * rows),
  );
  return { ...fields, cleanBase };
}

// index tables on the same kind of buffer as the spec's other arrays (shared with workers or not)
function shareInts(a: Int32Array, like: Float64Array): Int32Array {
  if (!(like.buffer instanceof SharedArrayBuffer)) return a;
  const out = new Int32Array(new SharedArrayBuffer(4 * a.length));
  out.set(a);
  return out;
}
