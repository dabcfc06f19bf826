import { ArgumentError, checkInt } from '@tenzo/core';
import { MAX_MODES } from '../argumentChecks.js';

/**
 * Where the 2×2 blocks of a mesh sit: `columns[c]` lists the top modes m of the blocks in
 * column c (each acts on modes m, m+1), `offsets[c][k]` the index of that block's first phase in
 * ω (blocks have two phases, at offset and offset + 1). Columns are applied left to right
 * (input → output); blocks within one column act on disjoint modes.
 */
export interface MeshLayout {
  readonly topology: 'clements' | 'reck';
  readonly n: number;
  readonly columns: readonly Int32Array[];
  readonly offsets: readonly Int32Array[];
  /** N(N−1)/2 */
  readonly blockCount: number;
}

/**
 * Clements et al. (2016) rectangular mesh: N columns, even columns couple (0,1),(2,3),…, odd
 * columns (1,2),(3,4),…; N(N−1)/2 blocks, optical depth N. Parameter order follows the reference
 * implementation: all even columns first (column-major, two phases per block), then all odd ones.
 */
export function clementsLayout(n: number): MeshLayout {
  checkInt('n', n, { min: 2, max: MAX_MODES });
  if (n % 2 !== 0) throw new ArgumentError(`n: the Clements mesh needs an even number of modes, got ${n}`);
  const half = n / 2;
  const columns: Int32Array[] = [];
  const offsets: Int32Array[] = [];
  for (let i = 0; i < half; i++) {
    const even = new Int32Array(half);
    const evenOff = new Int32Array(half);
    for (let b = 0; b < half; b++) {
      even[b] = 2 * b;
      evenOff[b] = 2 * (i * half + b);
    }
    const odd = new Int32Array(half - 1);
    const oddOff = new Int32Array(half - 1);
    for (let b = 0; b < half - 1; b++) {
      odd[b] = 2 * b + 1;
      oddOff[b] = n * half + 2 * (i * (half - 1) + b);
    }
    columns.push(even, odd);
    offsets.push(evenOff, oddOff);
  }
  return { topology: 'clements', n, columns, offsets, blockCount: (n * (n - 1)) / 2 };
}

/**
 * The block sequence of Reck et al. (1994)'s triangular mesh in application order: the reverse of
 * the nulling order "for column k, rows N−1 … k+1" of the decomposition (see `fromUnitary`).
 */
export function reckSequence(n: number): Int32Array {
  const nulling: number[] = [];
  for (let k = 0; k < n - 1; k++) for (let r = n - 1; r > k; r--) nulling.push(r - 1);
  return Int32Array.from(nulling.reverse());
}

/**
 * Reck triangular mesh: N(N−1)/2 blocks, optical depth 2N − 3. Blocks are packed greedily into
 * columns; parameters are ordered column by column.
 */
export function reckLayout(n: number): MeshLayout {
  checkInt('n', n, { min: 2, max: MAX_MODES });
  return { topology: 'reck', ...packColumns(n, reckSequence(n)) };
}

/** Greedy packing of a block sequence into the earliest column both its modes are free in. */
function packColumns(n: number, sequence: Int32Array): Omit<MeshLayout, 'topology'> {
  const last = new Int32Array(n).fill(-1);
  const cols: number[][] = [];
  for (const m of sequence) {
    const c = Math.max(last[m]!, last[m + 1]!) + 1;
    last[m] = c;
    last[m + 1] = c;
    while (cols.length <= c) cols.push([]);
    cols[c]!.push(m);
  }
  const columns = cols.map((c) => Int32Array.from(c.sort((a, b) => a - b)));
  let off = 0;
  const offsets = columns.map((c) => {
    const o = new Int32Array(c.length);
    for (let k = 0; k < c.length; k++) {
      o[k] = off;
      off += 2;
    }
    return o;
  });
  return { n, columns, offsets, blockCount: sequence.length };
}
