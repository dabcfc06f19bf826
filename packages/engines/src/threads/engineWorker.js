// The piscina worker of `threadEngine` (@tenzo/engines/node). A task is either one slice of a
// batch (evaluateSlice, the code tenzo-worker processes run too) or, for threadEngine's shared
// batches, a claim loop over a batch in shared memory (evaluateShared).
import { checkedValue, evaluateSlice, loadExport } from '../module/evaluateSlice.js';

/**
 * Claims `grain` rows at a time from the shared counter control[0] until the batch is done or
 * another thread failed (control[1] ≠ 0), evaluating each claim on a private copy of its rows and
 * writing the values at their rows of `values`. Every thread of the batch runs this loop, so a
 * thread that is free takes the next rows at once: no round trip to the main thread per piece,
 * no thread idle while another still has a queue. Failures come back as data ({ error }).
 * @param {{ module: string, name: string, batched: boolean, points: Int32Array | Float64Array,
 *   values: Float64Array, control: Int32Array, count: number, dim: number, grain: number }} task
 * @returns {Promise<{ rows: number } | { error: string }>}
 */
export async function evaluateShared(task) {
  const { points, values, control, count, dim, grain } = task;
  let rows = 0;
  try {
    const f = await loadExport(task.module, task.name);
    for (;;) {
      if (Atomics.load(control, 1) !== 0) return { rows };
      const start = Atomics.add(control, 0, grain);
      if (start >= count) return { rows };
      const n = Math.min(grain, count - start);
      // a private (non-shared) copy: the user's function never sees shared memory
      const own = points.slice(start * dim, (start + n) * dim);
      if (task.batched) {
        const out = await f(own, n, dim);
        if (out === null || typeof out !== 'object' || typeof out.length !== 'number')
          throw new TypeError(`returned ${typeof out} for ${n} points, expected ${n} numbers`);
        if (out.length !== n) throw new TypeError(`returned ${out.length} values for ${n} points`);
        for (let i = 0; i < n; i++) values[start + i] = checkedValue(out[i], start + i);
      } else {
        for (let i = 0; i < n; i++)
          values[start + i] = checkedValue(await f(own.subarray(i * dim, (i + 1) * dim)), start + i);
      }
      rows += n;
    }
  } catch (err) {
    Atomics.store(control, 1, 1);
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export default function run(task) {
  return task.control === undefined ? evaluateSlice(task) : evaluateShared(task);
}
