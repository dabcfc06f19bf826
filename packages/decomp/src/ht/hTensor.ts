import { ArgumentError, checkInt, describeValue, ShapeError } from '@tenzo/core';
import { checkMatrix, type Matrix } from '@tenzo/linalg';
import { checkFields, checkPoints, checkShape } from '../checks.js';
import type { DimensionTree } from './dimensionTree.js';

/**
 * A tensor in the hierarchical Tucker format (Hackbusch & Kühn 2009; Grasedyck 2010). Every tree
 * node t has a rank r_t (the root 1, dummy nodes 1) and one core:
 * - leaf (dimension k): the frame U_t, n_k×r_t (dummy leaf: 1×1 [1]);
 * - internal node with children L, R: the transfer tensor as a matrix (r_L·r_R)×r_t, row a·r_R + b,
 *   i.e. G_t[a, s, b] = cores[t][a·r_R + b, s] (HTBB.md §4); the root's is (r_L·r_R)×1.
 * The value at i is v_root, with v_leaf = row i_k of U_t and v_t[s] = Σ_ab G_t[a,s,b]·v_L[a]·v_R[b].
 */
export interface HTensor {
  tree: DimensionTree;
  /** n_k for the d real dimensions */
  shape: Int32Array;
  /** one core per tree node (indexed like tree.nodes) */
  cores: Matrix[];
}

/** The rank of node t (number of columns of its core). */
export function htRank(ht: HTensor, t: number): number {
  checkHTensor('htRank', ht);
  checkInt('htRank: t', t, { max: ht.cores.length - 1 });
  return ht.cores[t]!.cols;
}

/** Checks that the cores' sizes fit the tree and the shape. */
export function checkHTensor(op: string, ht: HTensor): void {
  checkFields(op, 'ht', ht, ['tree', 'shape', 'cores']);
  checkFields(op, 'ht.tree', ht.tree, ['d', 'nodes', 'postorder']);
  checkShape(op, ht.shape);
  if (!Array.isArray(ht.cores) || !Array.isArray(ht.tree.nodes))
    throw new ArgumentError(
      `${op}: ht.cores and ht.tree.nodes expected arrays, got ${describeValue(ht.cores)}`,
    );
  for (const [i, c] of ht.cores.entries()) checkMatrix(op, `ht.cores[${i}]`, c);
  const { tree, shape, cores } = ht;
  if (shape.length !== tree.d)
    throw new ShapeError(`${op}: shape has ${shape.length} entries, tree has d = ${tree.d}`);
  if (cores.length !== tree.nodes.length) {
    throw new ShapeError(
      `${op}: expected ${tree.nodes.length} cores (one per tree node), got ${cores.length}`,
    );
  }
  for (const node of tree.nodes) {
    const c = cores[node.id]!;
    let rows: number;
    if (node.left < 0) rows = node.dummy ? 1 : shape[node.dim]!;
    else rows = cores[node.left]!.cols * cores[node.right]!.cols;
    if (c.rows !== rows || (node.parent < 0 && c.cols !== 1) || c.data.length !== c.rows * c.cols) {
      throw new ShapeError(
        `${op}: core of node ${node.id} must be ${rows}×r${node.parent < 0 ? ' with r = 1' : ''}, got ${c.rows}×${c.cols}`,
      );
    }
  }
}

/**
 * Values at `count` multi-indices (points: count×d row-major). Cost O(count · Σ_t r_L r_R r_t).
 */
export function htEvaluate(
  ht: HTensor,
  points: Int32Array,
  count: number = points.length / ht.tree.d,
): Float64Array {
  checkHTensor('htEvaluate', ht);
  const { tree, shape, cores } = ht;
  const d = tree.d;
  checkPoints('htEvaluate', points, count, shape);
  const vals: Float64Array[] = new Array(tree.nodes.length);
  for (const id of tree.postorder) {
    const node = tree.nodes[id]!;
    const core = cores[id]!;
    const r = core.cols;
    const out = new Float64Array(count * r);
    if (node.left < 0) {
      if (node.dummy) out.fill(core.data[0]!);
      else
        for (let p = 0; p < count; p++)
          out.set(
            core.data.subarray(points[p * d + node.dim]! * r, points[p * d + node.dim]! * r + r),
            p * r,
          );
    } else {
      const vl = vals[node.left]!;
      const vr = vals[node.right]!;
      const rl = cores[node.left]!.cols;
      const rr = cores[node.right]!.cols;
      const g = core.data;
      for (let p = 0; p < count; p++) {
        const o = p * r;
        for (let a = 0; a < rl; a++) {
          const x = vl[p * rl + a]!;
          if (x === 0) continue;
          for (let b = 0; b < rr; b++) {
            const w = x * vr[p * rr + b]!;
            const row = (a * rr + b) * r;
            for (let s = 0; s < r; s++) out[o + s]! += w * g[row + s]!;
          }
        }
      }
      vals[node.left] = undefined as unknown as Float64Array; // free as we go
      vals[node.right] = undefined as unknown as Float64Array;
    }
    vals[id] = out;
  }
  return vals[0]!;
}

/** All multi-indices of a small shape, row-major (last dimension fastest). */
export function allIndices(shape: ArrayLike<number>): Int32Array {
  checkShape('allIndices', shape, true);
  const d = shape.length;
  let total = 1;
  for (let k = 0; k < d; k++) total *= shape[k]!;
  if (total > 1 << 24) throw new ArgumentError(`allIndices: the tensor has ${total} entries, more than 2^24`);
  const out = new Int32Array(total * d);
  const idx = new Int32Array(d);
  for (let p = 0; p < total; p++) {
    out.set(idx, p * d);
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** The full tensor, row-major over dimensions 0..d−1 (for small cases and tests). */
export function htFull(ht: HTensor): Float64Array {
  checkHTensor('htFull', ht);
  return htEvaluate(ht, allIndices(ht.shape));
}
