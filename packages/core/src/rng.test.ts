import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

// Reference outputs of xoshiro256** seeded through SplitMix64, computed with Python integers
// from the published C code (Vigna), see tooling notes in this test's history.
const REFERENCE: Record<string, string[]> = {
  '0': ['99ec5f36cb75f2b4', 'bf6e1f784956452a', '1a5f849d4933e6e0', '6aa594f1262d2d2c', 'bba5ad4a1f842e59'],
  '42': ['15780b2e0c2ec716', '6104d9866d113a7e', 'ae17533239e499a1', 'ecb8ad4703b360a1', 'fde6dc7fe2ec5e64'],
  '9007199254740991': [
    '38daf29b1ebbe041',
    'db282e495b1b8379',
    '1b5b097bad6154c0',
    'bc60d3d05dd113f9',
    'a1f2218f7f4a26ef',
  ],
};

describe('Rng (xoshiro256**)', () => {
  it('matches the reference stream bit for bit', () => {
    for (const [seed, words] of Object.entries(REFERENCE)) {
      const rng = new Rng(Number(seed));
      for (const w of words) expect(rng.nextBigUint64().toString(16).padStart(16, '0')).toBe(w);
    }
  });

  it('is reproducible and restorable from its state', () => {
    const a = new Rng(7);
    a.normal();
    const state = a.getState();
    const xs = Array.from({ length: 5 }, () => a.normal());
    const b = Rng.fromState(JSON.parse(JSON.stringify(state)));
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xs);
  });

  it('draws uniforms in [0,1) with the right mean and variance', () => {
    const rng = new Rng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) throw new Error(`uniform out of range: ${u}`);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    // 5-sigma bounds: sd(mean) = sqrt(1/12/n)
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('draws standard normals with mean 0, variance 1 and small skew', () => {
    const rng = new Rng(2);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
      s3 += z * z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s3 / n)).toBeLessThan(5 * Math.sqrt(15 / n));
  });

  it('fillNormal draws exactly the numbers of repeated normal() calls and leaves the same state', () => {
    for (const seed of [0, 7, 123456789]) {
      const a = new Rng(seed);
      const b = new Rng(seed);
      // 50k draws pass through ~600 rejected rectangles, wedges and tails included
      const filled = a.fillNormal(new Float64Array(50_000), 0.5, 2);
      for (let i = 0; i < filled.length; i++) {
        const z = 0.5 + 2 * b.normal();
        if (filled[i] !== z) throw new Error(`seed ${seed}: draw ${i} differs: ${filled[i]} vs ${z}`);
      }
      expect(a.getState()).toEqual(b.getState());
      expect(a.uniform()).toBe(b.uniform());
    }
  });

  it('draws normals whose distribution passes a Kolmogorov–Smirnov test, tails included', () => {
    const rng = new Rng(5);
    const n = 100_000;
    const z = Float64Array.from({ length: n }, () => rng.normal()).sort();
    // Φ via the complementary error function's continued fraction is overkill here: use a
    // 1e-7-accurate rational approximation (Abramowitz & Stegun 26.2.17)
    const phi = (x: number) => {
      const t = 1 / (1 + 0.2316419 * Math.abs(x));
      const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
      const p =
        d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
      return x >= 0 ? 1 - p : p;
    };
    let dmax = 0;
    for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(phi(z[i]!) - (i + 0.5) / n));
    expect(dmax).toBeLessThan(1.63 / Math.sqrt(n)); // 1% critical value
    const tail = z.filter((v) => Math.abs(v) > 3).length / n; // P(|Z| > 3) = 0.0026998
    expect(Math.abs(tail - 0.0026998)).toBeLessThan(5 * Math.sqrt(0.0027 / n));
    let k4 = 0;
    for (const v of z) k4 += v ** 4;
    expect(Math.abs(k4 / n - 3)).toBeLessThan(0.1); // kurtosis of N(0,1) is 3
  });

  it('draws unbiased integers and permutations', () => {
    const rng = new Rng(3);
    const counts = new Array(7).fill(0);
    const n = 70_000;
    for (let i = 0; i < n; i++) counts[rng.int(7)]++;
    // chi-square with 6 dof; 99.9% quantile is 22.46
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 7) ** 2 / (n / 7), 0);
    expect(chi2).toBeLessThan(22.46);
    const p = Array.from(rng.permutation(50)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('forks into streams that differ from the parent and from each other', () => {
    const parent = new Rng(11);
    const a = parent.fork();
    const b = parent.fork();
    const xs = [parent.uniform(), a.uniform(), b.uniform()];
    expect(new Set(xs).size).toBe(3);
  });

  it('rejects bad seeds with a named error', () => {
    expect(() => new Rng(-1)).toThrowError(/seed: expected an integer >= 0/);
    expect(() => new Rng(1.5)).toThrowError(/seed/);
    expect(() => new Rng(Number.NaN)).toThrowError(/seed.*NaN/);
  });
});

describe('Rng.setState', () => {
  it('restores a snapshot in place, continuing the same stream', () => {
    const a = new Rng(7);
    a.normal();
    const snap = a.getState();
    const next = [a.uniform(), a.normal(), a.nextUint32()];
    const b = new Rng(99);
    const held = b; // another object holds this generator by reference
    b.setState(snap);
    expect([held.uniform(), held.normal(), held.nextUint32()]).toEqual(next);
  });
  it('rejects a malformed state with a FormatError', () => {
    expect(() => new Rng(1).setState({ algorithm: 'xoshiro256**', words: [1], spareNormal: null })).toThrow(
      /8 words/,
    );
  });
});

describe('Rng.fromState validation', () => {
  const good = new Rng(3).getState();
  it.each([
    ['a word that is not a number', { ...good, words: ['x', ...good.words.slice(1)] }, /words\[0\]/],
    ['a negative word', { ...good, words: [-1, ...good.words.slice(1)] }, /words\[0\]/],
    ['a word above 2^32', { ...good, words: [...good.words.slice(0, 7), 2 ** 32] }, /words\[7\]/],
    ['a fractional word', { ...good, words: [0.5, ...good.words.slice(1)] }, /words\[0\]/],
    ['all-zero words', { ...good, words: [0, 0, 0, 0, 0, 0, 0, 0] }, /all zero/],
    ['a NaN spare normal', { ...good, spareNormal: Number.NaN }, /spareNormal/],
  ])('rejects %s with a FormatError', (_what, state, message) => {
    expect(() => Rng.fromState(state as never)).toThrow(message);
  });
});
