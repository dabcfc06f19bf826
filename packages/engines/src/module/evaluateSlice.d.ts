import type { PointArray } from '../engine.js';

export interface SliceTask {
  /** the module's URL (file: or data:) */
  module: string;
  /** the export to call */
  name: string;
  /** true: f(points, count, dim) → count numbers; false: f(row) → number, row by row */
  batched: boolean;
  points: PointArray;
  count: number;
  dim: number;
}

export function loadExport(url: string, name: string): Promise<(...args: unknown[]) => unknown>;
export function evaluateSlice(task: SliceTask): Promise<{ values: Float64Array } | { error: string }>;
/** `v` if it is a finite number, else an Error naming what point `i` got instead. */
export function checkedValue(v: unknown, i: number): number;
