import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { tensorKernels } from './blocks.js';
import { meshContract, type ZoKernelSpec } from './zoKernel.js';

// A mesh's projected ZO direction runs its cells through @tenzo/tensor's meshCells64 when the
// module compiles, else through the JavaScript loop; the two must give the same bits, or a run
// would depend on the machine it runs on (and a resumed run would not match).
function randomMesh(n: number, rows: number, dOut: number, cells: number, seed: number) {
  const rng = new Rng(seed);
  const blockMode = new Int32Array(cells);
  const blockOff = new Int32Array(cells);
  const angles = rng.fillUniform(new Float64Array(2 * cells), -Math.PI, Math.PI);
  for (let k = 0; k < cells; k++) {
    blockMode[k] = rng.int(n - 1);
    blockOff[k] = 2 * k;
  }
  const pick = (f: (x: number) => number, off: number) =>
    Float64Array.from({ length: cells }, (_, k) => f(angles[2 * k + off]!));
  return {
    rows,
    dOut,
    n,
    eta: 0.97,
    mu: 1e-4,
    blockMode,
    blockOff,
    C0: pick(Math.cos, 0),
    S0: pick(Math.sin, 0),
    C1: pick(Math.cos, 1),
    S1: pick(Math.sin, 1),
    X0: rng.fillNormal(new Float64Array(n * rows)) as Float64Array,
    Wm: rng.fillNormal(new Float64Array(dOut * rows)) as Float64Array,
    u: rng.fillNormal(new Float64Array(2 * cells)) as Float64Array,
  };
}

describe('meshContract (a mesh direction of the projected ZO estimate)', () => {
  it('gives the same bits through the WebAssembly cells as through the JavaScript loop', () => {
    const gemm = tensorKernels();
    expect(gemm).not.toBeNull();
    for (const [n, rows, dOut, cells, seed] of [
      [2, 1, 1, 1, 1],
      [5, 7, 3, 10, 2],
      [16, 33, 16, 120, 3],
      [64, 64, 40, 2016, 4],
    ] as const) {
      const { u, ...mesh } = randomMesh(n, rows, dOut, cells, seed);
      const js = mesh as unknown as ZoKernelSpec;
      const wasm = { ...mesh, gemm } as unknown as ZoKernelSpec;
      const scratch = () => [new Float64Array(n * rows), new Float64Array(n * rows)] as const;
      for (const dir of [null, u]) {
        const a = meshContract(js, dir, ...scratch());
        const b = meshContract(wasm, dir, ...scratch());
        expect(Number.isFinite(a)).toBe(true);
        expect(Object.is(a, b)).toBe(true);
      }
      // a direction moves the value (the cells are applied, not skipped)
      expect(meshContract(wasm, u, ...scratch())).not.toBe(meshContract(wasm, null, ...scratch()));
    }
  });
});
