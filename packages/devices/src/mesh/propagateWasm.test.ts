import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { tensorKernels } from '../accel/blocks.js';
import { clementsLayout, reckLayout } from './layout.js';
import { applyBlock, blockMatrices, type MeshModel, meshParamSize, propagate } from './propagate.js';

// propagate runs a mesh's blocks through @tenzo/tensor's meshBlocks64 when the module compiles;
// its bits must be those of the JavaScript loop (applyBlock per block, in column order), or a
// simulated device would answer differently on machines without WebAssembly SIMD.
describe('propagate (the blocks in WebAssembly)', () => {
  it('gives the bits of applyBlock block by block, for both topologies, odd batches, loss, splitting and 3-MZI cells', () => {
    expect(tensorKernels()).not.toBeNull();
    const rng = new Rng(11);
    for (const [layout, batch, extra] of [
      [clementsLayout(2), 1, {}],
      [clementsLayout(8), 5, { eta: 0.9 }],
      [reckLayout(7), 6, { inputPhases: true, outputPhases: true }],
      [clementsLayout(16), 33, { block: 'threeMzi' as const }],
      [reckLayout(12), 64, { splitting: 'random' }],
    ] as const) {
      const m: MeshModel = {
        layout,
        block: 'classical',
        inputPhases: false,
        outputPhases: false,
        eta: 1,
        ...extra,
        splitting:
          'splitting' in extra ? rng.fillUniform(new Float64Array(2 * layout.blockCount), -0.05, 0.05) : null,
      } as MeshModel;
      const phases = rng.fillUniform(new Float64Array(meshParamSize(m)), 0, 2 * Math.PI) as Float64Array;
      const mats = blockMatrices(m, phases, new Float64Array(8 * layout.blockCount));
      const re = rng.fillNormal(new Float64Array(layout.n * batch)) as Float64Array;
      const im = rng.fillNormal(new Float64Array(layout.n * batch)) as Float64Array;
      const [wr, wi, before] = [re.slice(), im.slice(), re.slice()];
      propagate({ ...m, inputPhases: false, outputPhases: false }, mats, phases, wr, wi, batch);
      for (let c = 0; c < layout.columns.length; c++)
        for (let k = 0; k < layout.columns[c]!.length; k++)
          applyBlock(mats, 4 * layout.offsets[c]![k]!, layout.columns[c]![k]!, re, im, batch);
      for (let i = 0; i < re.length; i++) {
        expect(Object.is(wr[i], re[i])).toBe(true);
        expect(Object.is(wi[i], im[i])).toBe(true);
      }
      // the blocks were applied (not skipped by both)
      expect(re.some((v, i) => v !== before[i])).toBe(true);
    }
  });
});
