// The piscina worker of `workerObjective` (@tenzo/zo/node): evaluates a slice of points with a
// function exported by the user's module. Plain JavaScript, so it loads from the sources as well
// as from dist.
const loaded = new Map();

async function load(module, name) {
  const key = `${module}#${name}`;
  let f = loaded.get(key);
  if (f === undefined) {
    const m = await import(module);
    f = m[name];
    if (typeof f !== 'function')
      throw new TypeError(`export '${name}' of ${module} is ${typeof f}, expected a function`);
    loaded.set(key, f);
  }
  return f;
}

/**
 * Failures come back as data ({ error }) rather than a rejected task, so the caller can name the
 * module and export in a typed error.
 * @param {{ module: string, name: string, batched: boolean, points: Float64Array, count: number, dim: number }} task
 * @returns {Promise<{ values: Float64Array } | { error: string }>}
 */
export default async function evaluate(task) {
  try {
    const f = await load(task.module, task.name);
    const { points, count, dim } = task;
    if (task.batched) return { values: Float64Array.from(await f(points, count)) };
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = await f(points.subarray(i * dim, (i + 1) * dim));
    return { values };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
