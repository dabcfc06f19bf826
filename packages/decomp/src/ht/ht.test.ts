import { Rng } from '@tenzo/core';
import type { Matrix } from '@tenzo/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancedTree } from './dimensionTree.js';
import { allIndices, checkHTensor, type HTensor, htEvaluate, htFull } from './hTensor.js';
import { htSvd, unfold } from './htSvd.js';
import { htTruncate } from './htTruncate.js';

/** a random HT tensor with the given node ranks (leaves r, internal r, root 1) */
function randomHT(shape: number[], rank: number, seed: number, order?: number[]): HTensor {
  const rng = new Rng(seed);
  const tree = balancedTree(shape.length, order);
  const ranks: number[] = [];
  for (const id of tree.postorder) {
    const node = tree.nodes[id]!;
    ranks[id] =
      node.parent < 0 || node.dummy ? 1 : Math.min(rank, node.left < 0 ? shape[node.dim]! : rank * rank);
  }
  const cores: Matrix[] = tree.nodes.map((node) => {
    const rows = node.left < 0 ? (node.dummy ? 1 : shape[node.dim]!) : ranks[node.left]! * ranks[node.right]!;
    const data = new Float64Array(rows * ranks[node.id]!);
    if (node.dummy) data.fill(1);
    else rng.fillNormal(data);
    return { rows, cols: ranks[node.id]!, data };
  });
  return { tree, shape: Int32Array.from(shape), cores };
}

const relErr = (a: Float64Array, b: Float64Array) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
};

describe('hierarchical Tucker', () => {
  it('balanced trees pad to a power of two with dummy leaves at the end', () => {
    const t = balancedTree(5, [4, 2, 0, 1, 3]);
    expect(t.nodes.length).toBe(15);
    expect(Array.from(t.nodes[0]!.dims)).toEqual([4, 2, 0, 1, 3]);
    expect(t.nodes.filter((n) => n.dummy).length).toBe(4); // 3 dummy leaves + their common parent
    expect(() => balancedTree(3, [0, 0, 1])).toThrow(/permutation/);
  });

  it('evaluation agrees with an explicit contraction of the cores (d = 4)', () => {
    const ht = randomHT([3, 2, 4, 3], 2, 1);
    checkHTensor('test', ht);
    const { nodes } = ht.tree;
    const [root, L, R] = [nodes[0]!, nodes[nodes[0]!.left]!, nodes[nodes[0]!.right]!];
    const c = ht.cores;
    const leafVec = (leafId: number, i: number) => {
      const u = c[leafId]!;
      return Array.from({ length: u.cols }, (_, a) => u.data[i * u.cols + a]!);
    };
    const nodeVec = (id: number, vl: number[], vr: number[]) => {
      const g = c[id]!;
      const out = new Array<number>(g.cols).fill(0);
      for (let a = 0; a < vl.length; a++)
        for (let b = 0; b < vr.length; b++)
          for (let s = 0; s < g.cols; s++)
            out[s]! += g.data[(a * vr.length + b) * g.cols + s]! * vl[a]! * vr[b]!;
      return out;
    };
    const pts = allIndices(ht.shape);
    const got = htEvaluate(ht, pts);
    for (let p = 0; p < pts.length / 4; p++) {
      const i = pts.subarray(p * 4, p * 4 + 4);
      const vl = nodeVec(
        L.id,
        leafVec(L.left, i[nodes[L.left]!.dim]!),
        leafVec(L.right, i[nodes[L.right]!.dim]!),
      );
      const vr = nodeVec(
        R.id,
        leafVec(R.left, i[nodes[R.left]!.dim]!),
        leafVec(R.right, i[nodes[R.right]!.dim]!),
      );
      expect(got[p]).toBeCloseTo(nodeVec(root.id, vl, vr)[0]!, 12);
    }
    expect(htFull(ht).length).toBe(72);
  });

  it('unfold puts the row dims (in the given order) on rows and the rest, ascending, on columns', () => {
    // A[i, j, k] = 100i + 10j + k, shape 2×3×2
    const full = Float64Array.from(
      allIndices([2, 3, 2]).reduce<number[]>((acc, v, p) => {
        if (p % 3 === 0) acc.push(0);
        acc[acc.length - 1]! += v * [100, 10, 1][p % 3]!;
        return acc;
      }, []),
    );
    const m = unfold(full, [2, 3, 2], [2, 0]);
    expect([m.rows, m.cols]).toEqual([4, 3]);
    // row (k, i) = 2k + i, column j
    expect(Array.from(m.data)).toEqual([0, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121]);
  });

  it('HT-SVD reconstructs tensors of known low HT rank to 1e-12 (any d, with dummies)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 2 }), fc.nat(), (d, r, seed) => {
        const rng = new Rng(seed);
        const shape = Array.from({ length: d }, () => 2 + rng.int(3));
        const full = htFull(randomHT(shape, r, seed, Array.from(rng.permutation(d))));
        const back = htSvd(full, shape, { tol: 1e-13 });
        checkHTensor('test', back);
        expect(relErr(htFull(back), full)).toBeLessThan(1e-12);
        expect(Math.max(...back.cores.map((c) => c.cols))).toBeLessThanOrEqual(r * r);
      }),
      { numRuns: 40 },
    );
  });

  it('HT-SVD truncation meets the requested accuracy', () => {
    const rng = new Rng(3);
    const shape = [4, 4, 4, 4, 4];
    const full = new Float64Array(4 ** 5);
    rng.fillNormal(full);
    for (const tol of [0.5, 0.2]) {
      const ht = htSvd(full, shape, { tol });
      expect(relErr(htFull(ht), full)).toBeLessThanOrEqual(tol);
    }
  });

  it('truncation removes redundant rank exactly and meets the tolerance', () => {
    const ht = randomHT([3, 4, 3, 2, 3, 3], 2, 7);
    const full = htFull(ht);
    // inflate: duplicate every leaf column (rank 2 → 4) and spread the transfer tensors accordingly
    const fat: HTensor = {
      ...ht,
      cores: ht.cores.map((c, id) => {
        const node = ht.tree.nodes[id]!;
        if (node.left >= 0 || node.dummy) return c;
        const data = new Float64Array(c.rows * c.cols * 2);
        for (let i = 0; i < c.rows; i++)
          for (let j = 0; j < c.cols; j++) {
            data[i * 2 * c.cols + j] = c.data[i * c.cols + j]!;
            data[i * 2 * c.cols + c.cols + j] = c.data[i * c.cols + j]!;
          }
        return { rows: c.rows, cols: 2 * c.cols, data };
      }),
    };
    // parents of leaves now see 2r_L × 2r_R inputs: split each transfer row equally over the copies
    fat.cores = fat.cores.map((c, id) => {
      const node = ht.tree.nodes[id]!;
      if (node.left < 0) return c;
      const L = ht.tree.nodes[node.left]!;
      const R = ht.tree.nodes[node.right]!;
      const fl = L.left < 0 && !L.dummy ? 2 : 1;
      const fr = R.left < 0 && !R.dummy ? 2 : 1;
      if (fl === 1 && fr === 1) return c;
      const rl = ht.cores[node.left]!.cols;
      const rr = ht.cores[node.right]!.cols;
      const r = c.cols;
      const data = new Float64Array(rl * fl * rr * fr * r);
      for (let a = 0; a < rl * fl; a++)
        for (let b = 0; b < rr * fr; b++)
          for (let s = 0; s < r; s++)
            data[(a * rr * fr + b) * r + s] = c.data[((a % rl) * rr + (b % rr)) * r + s]! / (fl * fr);
      return { rows: rl * fl * rr * fr, cols: r, data };
    });
    checkHTensor('test', fat);
    expect(relErr(htFull(fat), full)).toBeLessThan(1e-13);
    const thin = htTruncate(fat, { tol: 1e-12 });
    expect(relErr(htFull(thin), full)).toBeLessThan(1e-12);
    for (let id = 0; id < thin.cores.length; id++)
      expect(thin.cores[id]!.cols).toBeLessThanOrEqual(ht.cores[id]!.cols);
    const coarse = htTruncate(ht, { tol: 0.3 });
    expect(relErr(htFull(coarse), full)).toBeLessThanOrEqual(0.3);
  });
});
