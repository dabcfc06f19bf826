/**
 * Quantisation of a grid (TTOpt, PROTES): every dimension of size n_k = 2^q (q ≥ 1) becomes q
 * binary dimensions, the others stay as they are, so an 8^256 grid is searched as a 2^768 one.
 * Bits are little-endian, i_k = b_0 + 2 b_1 + 4 b_2 + … (numpy's ravel_multi_index with
 * order='F' over [2, …, 2], as teneva_opti's `unquantize`).
 */
export interface Quantization {
  /** sizes of the quantised dimensions (length D ≥ d) */
  shape: Int32Array;
  /** for each original dimension k: its first quantised dimension (length d + 1, last = D) */
  offsets: Int32Array;
  /** true where dimension k was split into bits */
  split: Uint8Array;
}

/** The quantised grid of `shape` (with `enabled` false: the grid unchanged). */
export function quantizeShape(shape: ArrayLike<number>, enabled: boolean): Quantization {
  const d = shape.length;
  const sizes: number[] = [];
  const offsets = new Int32Array(d + 1);
  const split = new Uint8Array(d);
  for (let k = 0; k < d; k++) {
    offsets[k] = sizes.length;
    const n = shape[k]!;
    const q = Math.log2(n);
    if (enabled && n > 2 && Number.isInteger(q)) {
      split[k] = 1;
      for (let b = 0; b < q; b++) sizes.push(2);
    } else sizes.push(n);
  }
  offsets[d] = sizes.length;
  return { shape: Int32Array.from(sizes), offsets, split };
}

/** count×D quantised multi-indices → count×d grid multi-indices. */
export function unquantize(qz: Quantization, points: Int32Array, count: number): Int32Array {
  const d = qz.split.length;
  const D = qz.shape.length;
  const out = new Int32Array(count * d);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < d; k++) {
      const o = qz.offsets[k]!;
      if (qz.split[k] === 0) {
        out[i * d + k] = points[i * D + o]!;
        continue;
      }
      let v = 0;
      for (let b = qz.offsets[k + 1]! - 1; b >= o; b--) v = 2 * v + points[i * D + b]!;
      out[i * d + k] = v;
    }
  }
  return out;
}
