import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutOfRangeError, ShapeError } from '../errors.js';
import { Rng } from '../rng.js';
import { fft, fft2, ifft, ifft2 } from './fft.js';

/** O(n²) complex DFT from the definition, the reference for the fast transform. */
function dft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++) {
      // (j·k) mod n keeps the angle small, so the reference itself stays accurate for large n
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      or[k]! += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
      oi[k]! += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
    }
  return [or, oi];
}

function randomField(rng: Rng, n: number): [Float64Array, Float64Array] {
  return [
    rng.fillNormal(new Float64Array(n)) as Float64Array,
    rng.fillNormal(new Float64Array(n)) as Float64Array,
  ];
}

describe('fft', () => {
  it.each([1, 2, 8, 64, 3, 12, 100])('matches the direct DFT and inverts (n = %i)', (n) => {
    const [re, im] = randomField(new Rng(n), n);
    const [er, ei] = dft(re, im);
    const r = re.slice();
    const i = im.slice();
    fft(r, i);
    for (let k = 0; k < n; k++) {
      expect(r[k]).toBeCloseTo(er[k]!, 9);
      expect(i[k]).toBeCloseTo(ei[k]!, 9);
    }
    ifft(r, i);
    for (let k = 0; k < n; k++) {
      expect(r[k]).toBeCloseTo(re[k]!, 12);
      expect(i[k]).toBeCloseTo(im[k]!, 12);
    }
  });

  it('ifft(x) is fft(x, true)', () => {
    const [re, im] = randomField(new Rng(3), 24);
    const a = [re.slice(), im.slice()] as const;
    const b = [re.slice(), im.slice()] as const;
    ifft(a[0], a[1]);
    fft(b[0], b[1], true);
    expect(Array.from(a[0])).toEqual(Array.from(b[0]));
    expect(Array.from(a[1])).toEqual(Array.from(b[1]));
  });

  it('satisfies Parseval for any length: Σ|x|² = Σ|X|²/n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, seed) => {
        const [re, im] = randomField(new Rng(seed), n);
        let e0 = 0;
        for (let k = 0; k < n; k++) e0 += re[k]! ** 2 + im[k]! ** 2;
        fft(re, im);
        let e1 = 0;
        for (let k = 0; k < n; k++) e1 += re[k]! ** 2 + im[k]! ** 2;
        expect(e1 / n).toBeCloseTo(e0, 8);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects re and im of different lengths with a ShapeError', () => {
    expect(() => fft(new Float64Array(4), new Float64Array(5))).toThrow(ShapeError);
    expect(() => ifft(new Float64Array(4), new Float64Array(3))).toThrow(
      'ifft: im must have the length of re, 4, got 3',
    );
  });
});

describe('fft2', () => {
  it('transforms rows then columns: matches the 2-D DFT and inverts', () => {
    const rows = 6;
    const cols = 8;
    const [re, im] = randomField(new Rng(2), rows * cols);
    // reference: X[u, v] = Σ_{r, c} x[r, c] e^{−2πi(ur/rows + vc/cols)}
    const wr = new Float64Array(rows * cols);
    const wi = new Float64Array(rows * cols);
    for (let u = 0; u < rows; u++)
      for (let v = 0; v < cols; v++)
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) {
            const a = -2 * Math.PI * (((u * r) % rows) / rows + ((v * c) % cols) / cols);
            const x = re[r * cols + c]!;
            const y = im[r * cols + c]!;
            wr[u * cols + v]! += x * Math.cos(a) - y * Math.sin(a);
            wi[u * cols + v]! += x * Math.sin(a) + y * Math.cos(a);
          }
    const r = re.slice();
    const i = im.slice();
    fft2(r, i, rows, cols);
    for (let k = 0; k < rows * cols; k++) {
      expect(r[k]).toBeCloseTo(wr[k]!, 9);
      expect(i[k]).toBeCloseTo(wi[k]!, 9);
    }
    ifft2(r, i, rows, cols);
    for (let k = 0; k < rows * cols; k++) {
      expect(r[k]).toBeCloseTo(re[k]!, 12);
      expect(i[k]).toBeCloseTo(im[k]!, 12);
    }
  });

  it('satisfies Parseval', () => {
    const rng = new Rng(1);
    const re = rng.fillNormal(new Float64Array(6 * 8)) as Float64Array;
    const im = new Float64Array(48);
    const e0 = re.reduce((s, v) => s + v * v, 0);
    fft2(re, im, 6, 8);
    const e1 = re.reduce((s, v, k) => s + v * v + im[k]! ** 2, 0) / 48;
    expect(e1).toBeCloseTo(e0, 10);
  });

  it('rejects bad sizes with typed errors', () => {
    const z = new Float64Array(12);
    expect(() => fft2(z, z.slice(), 0, 12)).toThrow(OutOfRangeError);
    expect(() => fft2(z, z.slice(), 3, 5)).toThrow(ShapeError);
    expect(() => ifft2(z, new Float64Array(11), 3, 4)).toThrow(
      'ifft2: re and im must have length rows·cols = 12, got 12 and 11',
    );
  });
});
