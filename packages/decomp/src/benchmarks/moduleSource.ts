import { checkNumber } from '@tenzo/core';
import type { BenchmarkFunction } from './functions.js';

/**
 * The source of a self-contained ES module that exports `batch(points, count, d)`: the benchmark
 * function `bf` on its grids, the same values bit for bit as `bf.batch` — for evaluation engines
 * that import a module (worker threads, `tenzo-worker` processes; `@tenzo/engines`). Write it to a
 * file and pass the path. `costMs` > 0 makes every evaluation busy-wait that long first (a stand-in
 * for an expensive simulation that keeps a core busy, unlike a sleep).
 */
export function benchmarkModuleSource(bf: BenchmarkFunction, options: { costMs?: number } = {}): string {
  const costMs = checkNumber('benchmarkModuleSource: options.costMs', options.costMs ?? 0, { min: 0 });
  return `// ${bf.name}, d = ${bf.d}, n = ${bf.n} (@tenzo/decomp benchmarkModuleSource)
const sq = (v) => v * v;
const f = ${bf.f.toString()};
const grids = ${JSON.stringify(bf.grids.map((g) => Array.from(g)))}.map((g) => Float64Array.from(g));
const x = new Float64Array(${bf.d});
export function batch(points, count) {
  const d = ${bf.d};
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    ${costMs > 0 ? `const until = performance.now() + ${costMs};\n    while (performance.now() < until);` : ''}
    for (let k = 0; k < d; k++) x[k] = grids[k][points[i * d + k]];
    y[i] = f(x);
  }
  return y;
}
export default batch;
`;
}
