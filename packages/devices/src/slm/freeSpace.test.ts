import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { SlmFreeSpace } from './freeSpace.js';

describe('slmFreeSpace (angular spectrum)', () => {
  it('conserves energy without an aperture (pitch > λ/√2: no evanescent loss), for any mask', () => {
    const rng = new Rng(1);
    for (const grid of [32, 24]) {
      const dev = new SlmFreeSpace({ dIn: 9, dOut: 4, grid });
      const x = rng.fillNormal(new Float64Array(9)) as Float64Array;
      const E = dev.field(x, dev.initParams(rng));
      const p = E.re.reduce((s, v, k) => s + v * v + E.im[k]! ** 2, 0);
      expect(Math.abs(p / dev.inputPower(x) - 1)).toBeLessThan(1e-12);
    }
  });

  it('an aperture blocks light; outputs are quadratic in x (y(2x) = 4 y(x)); differential outputs are signed', async () => {
    const rng = new Rng(2);
    const full = new SlmFreeSpace({ dIn: 4, dOut: 4, grid: 32 });
    const cut = new SlmFreeSpace({ dIn: 4, dOut: 4, grid: 32, aperture: 12 });
    const w = full.initParams(rng);
    const x = Float64Array.of(1, -0.5, 0.3, 0.8);
    expect(cut.inputPower(x)).toBeLessThan(full.inputPower(x));
    const y1 = await full.query(x, w);
    const y2 = await full.query(x.map((v) => 2 * v));
    for (let i = 0; i < 4; i++) expect(y2[i]).toBeCloseTo(4 * y1[i]!, 9);
    const diff = new SlmFreeSpace({ dIn: 4, dOut: 8, grid: 32, detection: 'differential' });
    const Y = await diff.query(rng.fillNormal(new Float64Array(8 * 4)) as Float64Array, diff.initParams(rng));
    expect(Math.min(...Y)).toBeLessThan(0);
    expect(Math.max(...Y)).toBeGreaterThan(0);
  });

  it('zero distance with a flat mask images the input: detected power equals input power per region', async () => {
    const dev = new SlmFreeSpace({ dIn: 4, dOut: 4, grid: 16, distance: 0 });
    const y = await dev.query(Float64Array.of(1, 2, 3, 4), new Float64Array(256));
    // each input macro-pixel is 8×8 pixels and the detector regions coincide with them
    expect(Array.from(y).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([64, 256, 576, 1024]);
  });
});
