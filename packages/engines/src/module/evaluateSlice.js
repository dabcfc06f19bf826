// Evaluates a slice of points with a function exported by the user's module: the one piece of
// code the worker threads (threadEngine) and the tenzo-worker processes (BullMQ) both run. Plain
// JavaScript, so a piscina worker loads it from the sources as well as from dist.
const loaded = new Map();

/**
 * The export `name` of the ES module at `url`, imported once per thread.
 * @param {string} url
 * @param {string} name
 * @returns {Promise<Function>}
 */
export async function loadExport(url, name) {
  const key = `${url}#${name}`;
  let f = loaded.get(key);
  if (f === undefined) {
    const m = await import(url);
    f = m[name];
    if (typeof f !== 'function')
      throw new TypeError(`export '${name}' of ${url} is ${typeof f}, expected a function`);
    loaded.set(key, f);
  }
  return f;
}

/**
 * The value `v` the user's function returned for point `i`, if it is a finite number; else an
 * Error naming what it is (a string or undefined would silently become NaN or a parsed number,
 * and NaN/±∞ would poison every estimate built on it).
 * @param {unknown} v
 * @param {number} i
 * @returns {number}
 */
export function checkedValue(v, i) {
  const bad = notFinite(v);
  if (bad) throw new Error(`returned ${bad} for point ${i}, expected a finite number`);
  return /** @type {number} */ (v);
}

/**
 * What is wrong with a returned value ('a string', 'NaN', …), or '' for a finite number.
 * @param {unknown} v
 * @returns {string}
 */
function notFinite(v) {
  if (typeof v !== 'number')
    return v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
  return Number.isFinite(v) ? '' : String(v);
}

/**
 * Failures come back as data ({ error }) rather than a throw, so the caller can name the module
 * and export in a typed error.
 * @param {{ module: string, name: string, batched: boolean, points: Int32Array | Float64Array, count: number, dim: number }} task
 * @returns {Promise<{ values: Float64Array } | { error: string }>}
 */
export async function evaluateSlice(task) {
  try {
    const f = await loadExport(task.module, task.name);
    const { points, count, dim } = task;
    if (task.batched) {
      const out = await f(points, count, dim);
      if (out === null || typeof out !== 'object' || typeof out.length !== 'number')
        return { error: `returned ${typeof out} for ${count} points, expected ${count} numbers` };
      // a string or undefined would become NaN (or a number parsed from text) without a word
      for (let i = 0; i < out.length; i++) {
        const bad = notFinite(out[i]);
        if (bad) return { error: `returned ${bad} for point ${i}, expected a finite number` };
      }
      return { values: Float64Array.from(out) };
    }
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const v = await f(points.subarray(i * dim, (i + 1) * dim));
      const bad = notFinite(v);
      if (bad) return { error: `returned ${bad} for point ${i}, expected a finite number` };
      values[i] = v;
    }
    return { values };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
