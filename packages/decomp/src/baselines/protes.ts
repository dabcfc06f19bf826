import { checkInt, checkNumber, type Rng } from '@tenzo/core';
import type { BlackBox, BlackBoxSource } from '../blackbox/blackBox.js';
import {
  type BaselineOptions,
  type BaselineResult,
  checkFlag,
  type GridOptimizer,
  runGridOptimizer,
  setupBaseline,
} from './driver.js';
import { type Quantization, quantizeShape, unquantize } from './quantize.js';

/**
 * Options of the PROTES baseline (a probabilistic tensor-train sampler): the shared {@link
 * BaselineOptions} plus samples and elite samples per iteration, Adam steps and learning rate, the TT-rank
 * of the probability tensor and grid quantisation.
 */
export interface ProtesOptions extends BaselineOptions {
  /** samples per iteration K (default 100) */
  k?: number;
  /** elite samples the likelihood is raised on (default 10) */
  kTop?: number;
  /** Adam steps per iteration (default 1) */
  kGd?: number;
  /** Adam learning rate (default 5e-2) */
  lr?: number;
  /** TT-rank of the probability tensor (default 5) */
  r?: number;
  /** search the quantised grid (default true, as teneva_opti runs PROTES) */
  quantize?: boolean;
}

const ADAM_B1 = 0.9;
const ADAM_B2 = 0.999;
const ADAM_EPS = 1e-8;

/**
 * PROTES (Batsheva, Chertkov, Ryzhakov, Oseledets, NeurIPS 2023): probabilistic optimisation with
 * a tensor-train distribution. The (quantised) grid N_0×…×N_{D−1} carries a TT P with cores
 * G_k: r_k×N_k×r_{k+1} (r_0 = r_D = 1, entries drawn uniform in [0, 1)); a multi-index has
 * probability p(i) = Π_k |q_k G_k[:, i_k, :] z_{k+1}| / Σ_j |q_k G_k[:, j, :] z_{k+1}|, with q_k the
 * product of the chosen slices left of k and z_{k+1} = Π_{l>k} Σ_j G_l[:, j, :] the interface on
 * the right (both normalised, which leaves p unchanged). Each iteration samples K indices
 * core by core from these conditionals, asks for them, and takes kGd Adam steps (β = 0.9, 0.999,
 * ε = 1e-8) on the mean of −log p over the kTop best — the gradient by hand, backward through
 * the q chain of each sample and the shared z chain (O(D N r²) per sample).
 */
export class Protes implements GridOptimizer {
  readonly d: number;
  private readonly qz: Quantization;
  private readonly D: number;
  private readonly ranks: Int32Array;
  private readonly cores: Float64Array[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private step = 0;
  private samples = new Int32Array(0);

  constructor(
    shape: ArrayLike<number>,
    private readonly rng: Rng,
    private readonly opts: { k: number; kTop: number; kGd: number; lr: number; r: number; quantize: boolean },
  ) {
    this.d = shape.length;
    this.qz = quantizeShape(shape, opts.quantize);
    const D = this.qz.shape.length;
    this.D = D;
    this.ranks = new Int32Array(D + 1).fill(opts.r);
    this.ranks[0] = 1;
    this.ranks[D] = 1;
    this.cores = [];
    for (let k = 0; k < D; k++) {
      const g = new Float64Array(this.ranks[k]! * this.qz.shape[k]! * this.ranks[k + 1]!);
      rng.fillUniform(g);
      this.cores.push(g);
    }
    this.m = this.cores.map((g) => new Float64Array(g.length));
    this.v = this.cores.map((g) => new Float64Array(g.length));
  }

  ask(): Int32Array {
    const { D, cores, ranks } = this;
    const N = this.qz.shape;
    const K = this.opts.k;
    const z = this.interfaces();
    const out = new Int32Array(K * D);
    const p = new Float64Array(Math.max(...N));
    // two buffers for the running left vector q (swapped per core; no allocation per step)
    const rMax = Math.max(...ranks);
    let q = new Float64Array(rMax);
    let nextQ = new Float64Array(rMax);
    // w[k][j·r_k + x] = (G_k[x, j, :] · z_{k+1}): shared by all samples, so a conditional costs r_k per value
    const w = cores.map((g, k) => {
      const r0 = ranks[k]!;
      const r1 = ranks[k + 1]!;
      const n = N[k]!;
      const zr = z[k + 1]!;
      const out = new Float64Array(n * r0);
      for (let j = 0; j < n; j++)
        for (let x = 0; x < r0; x++) {
          const row = (x * n + j) * r1;
          let t = 0;
          for (let y = 0; y < r1; y++) t += g[row + y]! * zr[y]!;
          out[j * r0 + x] = t;
        }
      return out;
    });
    for (let s = 0; s < K; s++) {
      q[0] = 1;
      for (let k = 0; k < D; k++) {
        const r0 = ranks[k]!;
        const r1 = ranks[k + 1]!;
        const n = N[k]!;
        let total = 0;
        const wk = w[k]!;
        for (let j = 0; j < n; j++) {
          let a = 0;
          for (let x = 0; x < r0; x++) a += q[x]! * wk[j * r0 + x]!;
          p[j] = Math.abs(a);
          total += p[j]!;
        }
        // a degenerate conditional (all zero) is read as uniform
        let u = this.rng.uniform() * (total > 0 ? total : n);
        let j = 0;
        while (j < n - 1 && u >= (total > 0 ? p[j]! : 1)) {
          u -= total > 0 ? p[j]! : 1;
          j++;
        }
        out[s * D + k] = j;
        leftProductInto(nextQ, cores[k]!, q, j, r0, n, r1);
        normalizeInPlace(nextQ, r1);
        const swap = q;
        q = nextQ;
        nextQ = swap;
      }
    }
    this.samples = out;
    return unquantize(this.qz, out, K);
  }

  tell(values: Float64Array): void {
    const K = this.opts.k;
    const order = Array.from({ length: K }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
    const elite = order.slice(0, Math.min(this.opts.kTop, K));
    for (let it = 0; it < this.opts.kGd; it++) this.adam(this.gradient(elite));
  }

  /** z[k]: normalised right interface of core k − 1 (length r_k), z[D] = [1] */
  private interfaces(): Float64Array[] {
    const { D, cores, ranks } = this;
    const N = this.qz.shape;
    const z: Float64Array[] = new Array(D + 1);
    z[D] = Float64Array.of(1);
    for (let k = D - 1; k >= 1; k--)
      z[k] = normalize(sumTimes(cores[k]!, z[k + 1]!, ranks[k]!, N[k]!, ranks[k + 1]!));
    return z;
  }

  /** ∇ of mean_s −log p(i_s) over the elite samples, one array per core */
  private gradient(elite: number[]): Float64Array[] {
    const { D, cores, ranks } = this;
    const N = this.qz.shape;
    const grads = cores.map((g) => new Float64Array(g.length));
    const z = this.interfaces();
    const zBar = z.map((v) => new Float64Array(v?.length ?? 0));
    const w = 1 / elite.length;
    const qs: Float64Array[] = new Array(D + 1);
    const qNorm = new Float64Array(D + 1);
    for (const s of elite) {
      const idx = this.samples.subarray(s * D, (s + 1) * D);
      qs[0] = Float64Array.of(1);
      for (let k = 0; k < D; k++) {
        const raw = leftProduct(cores[k]!, qs[k]!, idx[k]!, ranks[k]!, N[k]!, ranks[k + 1]!);
        qNorm[k + 1] = norm(raw);
        qs[k + 1] = normalize(raw);
      }
      let qBar: Float64Array = new Float64Array(1);
      for (let k = D - 1; k >= 0; k--) {
        const r0 = ranks[k]!;
        const r1 = ranks[k + 1]!;
        const n = N[k]!;
        const g = cores[k]!;
        const dg = grads[k]!;
        const q = qs[k]!;
        const zr = z[k + 1]!;
        const a = new Float64Array(n);
        let total = 0;
        for (let j = 0; j < n; j++) {
          a[j] = sliceForm(g, q, zr, j, r0, n, r1);
          total += Math.abs(a[j]!);
        }
        const ik = idx[k]!;
        const next = new Float64Array(r0);
        const cq = qNorm[k + 1]!;
        const carried = new Float64Array(r1);
        for (let y = 0; y < r1; y++) carried[y] = qBar[y]! / cq;
        const zb = zBar[k + 1]!;
        for (let j = 0; j < n; j++) {
          // ∂(−log|a_ik| + log Σ|a_j|)/∂a_j, weighted by 1/|elite|
          const ga = w * ((j === ik ? -1 / a[ik]! : 0) + Math.sign(a[j]!) / total);
          const chosen = j === ik;
          for (let x = 0; x < r0; x++) {
            const row = (x * n + j) * r1;
            const qx = q[x]!;
            let nx = next[x]!;
            for (let y = 0; y < r1; y++) {
              const gxy = g[row + y]!;
              dg[row + y]! += ga * qx * zr[y]! + (chosen ? qx * carried[y]! : 0);
              nx += ga * gxy * zr[y]! + (chosen ? gxy * carried[y]! : 0);
              zb[y]! += ga * gxy * qx;
            }
            next[x] = nx;
          }
        }
        qBar = next;
      }
    }
    // the shared right interfaces: z_k = S_k z_{k+1} / ‖·‖ with S_k = Σ_j G_k[:, j, :]
    for (let k = 1; k < D; k++) {
      const r0 = ranks[k]!;
      const r1 = ranks[k + 1]!;
      const n = N[k]!;
      const g = cores[k]!;
      const dg = grads[k]!;
      const c = norm(sumTimes(g, z[k + 1]!, r0, n, r1));
      for (let x = 0; x < r0; x++) {
        const zb = zBar[k]![x]! / c;
        for (let j = 0; j < n; j++)
          for (let y = 0; y < r1; y++) {
            const at = (x * n + j) * r1 + y;
            dg[at]! += zb * z[k + 1]![y]!;
            zBar[k + 1]![y]! += zb * g[at]!;
          }
      }
    }
    return grads;
  }

  private adam(grads: Float64Array[]): void {
    this.step++;
    const c1 = 1 - ADAM_B1 ** this.step;
    const c2 = 1 - ADAM_B2 ** this.step;
    const lr = this.opts.lr;
    grads.forEach((g, k) => {
      const p = this.cores[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let i = 0; i < g.length; i++) {
        m[i] = ADAM_B1 * m[i]! + (1 - ADAM_B1) * g[i]!;
        v[i] = ADAM_B2 * v[i]! + (1 - ADAM_B2) * g[i]! ** 2;
        p[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + ADAM_EPS);
      }
    });
  }
}

/** q · G[:, j, :] · z for a core G: r0×n×r1 */
function sliceForm(
  g: Float64Array,
  q: Float64Array,
  z: Float64Array,
  j: number,
  r0: number,
  n: number,
  r1: number,
) {
  let s = 0;
  for (let x = 0; x < r0; x++) {
    const row = (x * n + j) * r1;
    let t = 0;
    for (let y = 0; y < r1; y++) t += g[row + y]! * z[y]!;
    s += q[x]! * t;
  }
  return s;
}

/** q · G[:, j, :] (length r1) */
function leftProduct(g: Float64Array, q: Float64Array, j: number, r0: number, n: number, r1: number) {
  const out = new Float64Array(r1);
  for (let x = 0; x < r0; x++) {
    const row = (x * n + j) * r1;
    for (let y = 0; y < r1; y++) out[y]! += q[x]! * g[row + y]!;
  }
  return out;
}

/** out[0..r1) = q · G[:, j, :] (leftProduct into a buffer) */
function leftProductInto(
  out: Float64Array,
  g: Float64Array,
  q: Float64Array,
  j: number,
  r0: number,
  n: number,
  r1: number,
): void {
  out.fill(0, 0, r1);
  for (let x = 0; x < r0; x++) {
    const row = (x * n + j) * r1;
    for (let y = 0; y < r1; y++) out[y]! += q[x]! * g[row + y]!;
  }
}

/** v[0..m) ← v / ‖v[0..m)‖ (unchanged when zero) */
function normalizeInPlace(v: Float64Array, m: number): void {
  let s = 0;
  for (let i = 0; i < m; i++) s += v[i]! * v[i]!;
  const c = Math.sqrt(s);
  if (c > 0) for (let i = 0; i < m; i++) v[i] = v[i]! / c;
}

/** (Σ_j G[:, j, :]) · z (length r0) */
function sumTimes(g: Float64Array, z: Float64Array, r0: number, n: number, r1: number) {
  const out = new Float64Array(r0);
  for (let x = 0; x < r0; x++)
    for (let j = 0; j < n; j++) {
      const row = (x * n + j) * r1;
      for (let y = 0; y < r1; y++) out[x]! += g[row + y]! * z[y]!;
    }
  return out;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

function normalize(v: Float64Array): Float64Array {
  const c = norm(v);
  return c > 0 ? v.map((x) => x / c) : v;
}

/** PROTES minimisation of a black box on the grid (see `Protes`); the best evaluated point. */
export async function protesMinimize(
  f: BlackBoxSource | BlackBox,
  options: ProtesOptions,
): Promise<BaselineResult> {
  const op = 'protesMinimize';
  const { budget, maxCacheHits, box, rng } = setupBaseline(op, f, options);
  const k = checkInt(`${op}: options.k`, options.k ?? 100, { positive: true });
  const kTop = checkInt(`${op}: options.kTop`, options.kTop ?? 10, { positive: true, max: k });
  const kGd = checkInt(`${op}: options.kGd`, options.kGd ?? 1, { positive: true });
  const lr = checkNumber(`${op}: options.lr`, options.lr ?? 5e-2, { gt: 0 });
  const r = checkInt(`${op}: options.r`, options.r ?? 5, { positive: true });
  const quantize = checkFlag(`${op}: options.quantize`, options.quantize, true);
  const opt = new Protes(box.shape, rng, { k, kTop, kGd, lr, r, quantize });
  return runGridOptimizer(opt, box, budget, maxCacheHits);
}
