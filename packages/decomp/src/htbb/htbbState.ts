import { BudgetError, type Rng } from '@tenzo/core';
import type { Matrix } from '@tenzo/linalg';
import type { BlackBox } from '../blackbox/blackBox.js';
import { type DimensionTree, sibling } from '../ht/dimensionTree.js';
import type { HTensor } from '../ht/hTensor.js';
import { selectRows } from './selectRows.js';

/** How a local update's matrix of black-box values is turned into the matrix maxvol sees. */
export type MatrixTransform = (a: Float64Array) => void;

/**
 * The index sets, cores and visit counts of an HTBB run (HTBB.md §1–§3). For a non-root node t:
 * up[t] holds |U_t| rows of values of t's dims (compact: the order of tree.nodes[t].dims);
 * down[t] holds |D_t| full-length rows whose entries outside t's dims give the complementary
 * values (entries on t's dims are ignored). For children of the root D_t is the sibling's U_t
 * and is built on the fly. core[t] is B_t from the last update_up of t.
 */
export class HtbbState {
  readonly tree: DimensionTree;
  readonly box: BlackBox;
  readonly d: number;
  readonly n: Int32Array;
  readonly up: Int32Array[] = [];
  readonly down: Int32Array[] = [];
  readonly core: Matrix[] = [];
  /** visit counts (non-root, non-dummy nodes) */
  readonly count: Int32Array;
  /** per node: Σ counts and number of countable nodes in its subtree */
  private readonly subSum: Float64Array;
  private readonly subSize: Int32Array;
  private total = 0;
  private readonly countable: number;
  /** histogram of counts for the running minimum (the sweep counter) */
  private readonly hist: number[] = [];
  minCount = 0;
  /** local updates done */
  updates = 0;
  transform: MatrixTransform | null = null;
  /** called after every batch of black-box values */
  onBatch: (() => void) | null = null;
  /** set when tryEvaluate ran out of budget (optimisation, budgeted approximation) */
  exhausted = false;
  /** no index set grows beyond this many rows (default: no cap, as the reference) */
  maxRank = Number.POSITIVE_INFINITY;
  private readonly partial: boolean;
  private readonly rng: Rng;

  constructor(tree: DimensionTree, box: BlackBox, r0: number, rng: Rng, partial: boolean) {
    this.tree = tree;
    this.box = box;
    this.d = tree.d;
    this.n = box.shape;
    this.rng = rng;
    this.partial = partial;
    const N = tree.nodes.length;
    this.count = new Int32Array(N);
    this.subSum = new Float64Array(N);
    this.subSize = new Int32Array(N);
    let countable = 0;
    for (const id of tree.postorder) {
      const node = tree.nodes[id]!;
      const own = node.parent >= 0 && !node.dummy ? 1 : 0;
      countable += own;
      this.subSize[id] = own + (node.left >= 0 ? this.subSize[node.left]! + this.subSize[node.right]! : 0);
    }
    this.countable = countable;
    this.hist[0] = countable;
    // initial sets: r0 distinct random elements, U bottom-up, then D top-down; no evaluations
    for (const id of tree.postorder) {
      const node = tree.nodes[id]!;
      if (node.parent < 0) continue;
      if (node.dummy) {
        this.up[id] = new Int32Array(0);
        this.core[id] = { rows: 1, cols: 1, data: Float64Array.of(1) };
        continue;
      }
      const cand = this.upCandidates(id);
      const rows = cand.length / node.dims.length;
      this.up[id] = pickRows(cand, node.dims.length, distinct(rng, rows, Math.min(r0, rows)));
    }
    for (const node of tree.nodes) {
      if (node.parent < 0 || node.dummy || tree.nodes[node.parent]!.parent < 0) continue;
      const cand = this.downCandidates(node.id);
      const rows = cand.length / this.d;
      this.down[node.id] = pickRows(cand, this.d, distinct(rng, rows, Math.min(r0, rows)));
    }
  }

  /** |U_t| (1 for dummy nodes) */
  rank(t: number): number {
    const node = this.tree.nodes[t]!;
    return node.dummy ? 1 : this.up[t]!.length / node.dims.length;
  }

  /** the largest up or down set (rows), over all nodes */
  largestRank(): number {
    let r = 1;
    for (const node of this.tree.nodes) {
      if (node.parent < 0 || node.dummy) continue;
      r = Math.max(r, this.rank(node.id), (this.down[node.id]?.length ?? 0) / this.d);
    }
    return r;
  }

  /** candidates of update_up(t): the n values (leaf) or U_L × U_R (left fastest-varying last) */
  upCandidates(t: number): Int32Array {
    const node = this.tree.nodes[t]!;
    if (node.left < 0) {
      const n = this.n[node.dim]!;
      return Int32Array.from({ length: n }, (_, j) => j);
    }
    const ul = this.up[node.left]!;
    const ur = this.up[node.right]!;
    const kl = this.tree.nodes[node.left]!.dims.length;
    const kr = this.tree.nodes[node.right]!.dims.length;
    const rl = this.rank(node.left);
    const rr = this.rank(node.right);
    const k = kl + kr;
    const out = new Int32Array(rl * rr * k);
    for (let a = 0; a < rl; a++) {
      for (let b = 0; b < rr; b++) {
        const o = (a * rr + b) * k;
        out.set(ul.subarray(a * kl, a * kl + kl), o);
        out.set(ur.subarray(b * kr, b * kr + kr), o + kl);
      }
    }
    return out;
  }

  /** D_t as full-length rows (for a child of the root: the sibling's U scattered) */
  downRows(t: number): Int32Array {
    const node = this.tree.nodes[t]!;
    if (this.tree.nodes[node.parent]!.parent >= 0) return this.down[t]!;
    const s = sibling(this.tree, t);
    const dims = this.tree.nodes[s]!.dims;
    const u = this.up[s]!;
    const r = this.rank(s);
    const out = new Int32Array(r * this.d);
    for (let j = 0; j < r; j++)
      for (let q = 0; q < dims.length; q++) out[j * this.d + dims[q]!] = u[j * dims.length + q]!;
    return out;
  }

  /** candidates of update_down(t): D_parent × U_sibling as full-length rows */
  downCandidates(t: number): Int32Array {
    const d = this.d;
    const p = this.tree.nodes[t]!.parent;
    const s = sibling(this.tree, t);
    const dp = this.downRows(p);
    const us = this.up[s]!;
    const sdims = this.tree.nodes[s]!.dims;
    const ks = sdims.length;
    const np = dp.length / d;
    const rs = this.rank(s);
    const out = new Int32Array(np * rs * d);
    for (let a = 0; a < np; a++) {
      for (let b = 0; b < rs; b++) {
        const o = (a * rs + b) * d;
        out.set(dp.subarray(a * d, a * d + d), o);
        for (let q = 0; q < ks; q++) out[o + sdims[q]!] = us[b * ks + q]!;
      }
    }
    return out;
  }

  /**
   * Values f(rows[c] ⊕ cols[j]) as a |rows|×|cols| matrix: `full` rows (length d) give the
   * complement, `compact` rows (t's dims) overwrite t's dims. `compactIsRow` says which side is
   * the candidate (row) side. Returns null when the budget ran out (optimisation).
   */
  private async values(
    t: number,
    full: Int32Array,
    compact: Int32Array,
    compactIsRow: boolean,
  ): Promise<Float64Array | null> {
    const d = this.d;
    const dims = this.tree.nodes[t]!.dims;
    const k = dims.length;
    const nf = full.length / d;
    const nc = compact.length / k;
    const rows = compactIsRow ? nc : nf;
    const cols = compactIsRow ? nf : nc;
    const pts = new Int32Array(rows * cols * d);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const f = compactIsRow ? j : i;
        const c = compactIsRow ? i : j;
        const o = (i * cols + j) * d;
        pts.set(full.subarray(f * d, f * d + d), o);
        for (let q = 0; q < k; q++) pts[o + dims[q]!] = compact[c * k + q]!;
      }
    }
    if (!this.partial) {
      const y = await this.box.evaluate(pts, rows * cols);
      this.onBatch?.();
      return y;
    }
    const res = await this.box.tryEvaluate(pts, rows * cols);
    this.onBatch?.();
    if (!res.complete) {
      this.exhausted = true;
      return null;
    }
    return res.values;
  }

  /** update_up(t): U_t := maxvol rows of [candidates × D_t]; B_t := the interpolation matrix. */
  async updateUp(t: number, grow: boolean): Promise<boolean> {
    const cand = this.upCandidates(t);
    const cols = this.downRows(t);
    const a = await this.values(t, cols, cand, true);
    if (a === null) return false;
    const k = this.tree.nodes[t]!.dims.length;
    const m = cand.length / k;
    this.transform?.(a);
    const sel = selectRows({ rows: m, cols: cols.length / this.d, data: a }, grow, this.maxRank);
    this.up[t] = pickRows(cand, k, sel.I);
    this.core[t] = sel.B;
    this.updates++;
    return true;
  }

  /** update_down(t): D_t := maxvol rows of [(D_parent × U_sibling) × U_t] (nothing below the root). */
  async updateDown(t: number): Promise<boolean> {
    const node = this.tree.nodes[t]!;
    if (this.tree.nodes[node.parent]!.parent < 0) return true;
    const cand = this.downCandidates(t);
    const a = await this.values(t, cand, this.up[t]!, false);
    if (a === null) return false;
    this.transform?.(a);
    const sel = selectRows({ rows: cand.length / this.d, cols: this.rank(t), data: a }, true, this.maxRank);
    this.down[t] = pickRows(cand, this.d, sel.I);
    this.updates++;
    return true;
  }

  /** adds one visit to t (and to its ancestors' subtree sums) */
  visit(t: number): void {
    const c = this.count[t]!;
    this.count[t] = c + 1;
    this.hist[c]!--;
    this.hist[c + 1] = (this.hist[c + 1] ?? 0) + 1;
    while (this.hist[this.minCount] === 0) this.minCount++;
    this.total++;
    for (let v = t; v >= 0; v = this.tree.nodes[v]!.parent) this.subSum[v]!++;
  }

  /** average visit count in t's subtree */
  subtreeAverage(t: number): number {
    return this.subSum[t]! / this.subSize[t]!;
  }

  /**
   * average visit count outside t's subtree; the never-visited root counts in the denominator,
   * as in the reference (its tree size includes the root)
   */
  outsideAverage(t: number): number {
    const size = this.countable + 1 - this.subSize[t]!;
    return (this.total - this.subSum[t]!) / size;
  }

  /** true with probability 1/2 (ties in the walk) */
  coin(): boolean {
    return this.rng.uniform() < 0.5;
  }

  /**
   * Finalisation (HTBB.md §3): bottom-up update_up of every node with rank growth off, so each
   * core B_t is consistent with its children's final sets. False when the budget ran out.
   */
  async finalize(): Promise<boolean> {
    for (const id of this.tree.postorder) {
      const node = this.tree.nodes[id]!;
      if (node.parent < 0 || node.dummy) continue;
      if (!(await this.updateUp(id, false))) return false;
    }
    return true;
  }

  /**
   * The interpolant the run would return if it stopped now — finalisation and root matrix — with
   * the walk's own state (sets, cores, update count) left as it was; null when the budget ran out.
   * Its black-box values stay in the cache, so finishing at this state later costs nothing new.
   */
  async snapshot(): Promise<HTensor | null> {
    const up = this.up.slice();
    const core = this.core.slice();
    const updates = this.updates;
    try {
      if (!(await this.finalize())) return null;
      return await this.toHTensor();
    } catch (err) {
      if (this.exhausted) return null;
      throw err;
    } finally {
      for (let i = 0; i < up.length; i++) this.up[i] = up[i]!;
      for (let i = 0; i < core.length; i++) this.core[i] = core[i]!;
      this.updates = updates;
    }
  }

  /** The root matrix M[a, b] = f(U_L[a] ∪ U_R[b]) and the HT interpolant built from the cores. */
  async toHTensor(): Promise<HTensor> {
    const tree = this.tree;
    const root = tree.nodes[0]!;
    const L = root.left;
    const cols = this.downRows(L); // U_R scattered
    const m = await this.values(L, cols, this.up[L]!, true);
    if (m === null) throw new BudgetError('HTBB: the budget ran out while building the root matrix');
    const cores: Matrix[] = [];
    for (const node of tree.nodes) {
      if (node.parent < 0) cores.push({ rows: m.length, cols: 1, data: m });
      else cores.push(this.core[node.id]!);
    }
    return { tree, shape: Int32Array.from(this.n), cores };
  }
}

/** k distinct integers from 0..n−1, uniformly at random */
export function distinct(rng: Rng, n: number, k: number): Int32Array {
  const p = rng.permutation(n);
  return p.slice(0, k);
}

/** rows I of a row-major array with rows of length k */
export function pickRows(a: Int32Array, k: number, I: ArrayLike<number>): Int32Array {
  const out = new Int32Array(I.length * k);
  for (let j = 0; j < I.length; j++) out.set(a.subarray(I[j]! * k, I[j]! * k + k), j * k);
  return out;
}
