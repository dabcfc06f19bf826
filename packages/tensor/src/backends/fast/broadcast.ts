import type { Shape } from '../../shape.js';
import { broadcastStrides } from '../reference/util.js';

/**
 * A broadcast iteration over `shape` with one stride list per input, after dropping size-1
 * dimensions and merging neighbours that every input walks contiguously (so same-shape inputs
 * become one flat run, and a bias [n] against [m, n] becomes m runs of n with stride 0 for
 * the bias' outer dimension).
 */
export interface BroadcastPlan {
  readonly shape: number[];
  readonly strides: number[][];
}

export function broadcastPlan(outShape: Shape, inputs: readonly Shape[]): BroadcastPlan {
  const all = inputs.map((s) => broadcastStrides(s, outShape));
  const shape: number[] = [];
  const strides: number[][] = inputs.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const size = outShape[d]!;
    if (size === 1) continue;
    const last = shape.length - 1;
    // merge d into the previous kept dimension when every input steps through both as one
    if (last >= 0 && all.every((s, i) => strides[i]![last] === s[d]! * size)) {
      shape[last]! *= size;
      for (let i = 0; i < all.length; i++) strides[i]![last] = all[i]![d]!;
      continue;
    }
    shape.push(size);
    for (let i = 0; i < all.length; i++) strides[i]!.push(all[i]![d]!);
  }
  if (shape.length === 0) {
    shape.push(1);
    for (const s of strides) s.push(0);
  }
  return { shape, strides };
}

/**
 * Calls `row(offsets, outOffset)` for every innermost run of the plan, in output order:
 * `offsets[i]` is where input i's run starts.
 */
export function forEachRun(plan: BroadcastPlan, row: (offsets: number[], outOffset: number) => void): void {
  const { shape, strides } = plan;
  const nd = shape.length;
  const inner = shape[nd - 1]!;
  let outer = 1;
  for (let d = 0; d < nd - 1; d++) outer *= shape[d]!;
  if (outer === 0 || inner === 0) return;
  const k = strides.length;
  const offsets = new Array<number>(k).fill(0);
  const idx = new Array<number>(nd).fill(0);
  for (let r = 0; r < outer; r++) {
    row(offsets, r * inner);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      for (let i = 0; i < k; i++) offsets[i]! += strides[i]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let i = 0; i < k; i++) offsets[i]! -= strides[i]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
