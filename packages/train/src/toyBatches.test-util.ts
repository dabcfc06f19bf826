/** A labelled batch of the test problems: x is size×d. */
export interface ToyBatch {
  x: Float32Array;
  y: Int32Array;
  size: number;
}

/** One shuffled epoch of batches of 8 rows of xs (n×d) and labels ys, the order drawn from `order`. */
export function* toyBatches(
  xs: Float32Array,
  ys: Int32Array,
  d: number,
  order: { permutation(n: number): Int32Array },
): Generator<ToyBatch> {
  const n = ys.length;
  const perm = order.permutation(n);
  for (let b = 0; b < n; b += 8) {
    const idx = perm.subarray(b, b + 8);
    const x = new Float32Array(idx.length * d);
    for (const [k, i] of idx.entries()) x.set(xs.subarray(i * d, (i + 1) * d), k * d);
    yield { x, y: Int32Array.from(idx, (i) => ys[i]!), size: idx.length };
  }
}
