import { Rng } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { quantizePhase } from '../noise/quantize.js';
import { fromUnitary } from './fromUnitary.js';
import { clementsLayout, reckLayout } from './layout.js';
import { MziMesh } from './mziMesh.js';
import { type MeshModel, meshUnitary } from './propagate.js';

/** Haar-random unitary: Gram–Schmidt on a complex Ginibre matrix (positive diag R ⇒ Haar). */
function haarUnitary(n: number, rng: Rng): { re: Float64Array; im: Float64Array } {
  const re = rng.fillNormal(new Float64Array(n * n)) as Float64Array;
  const im = rng.fillNormal(new Float64Array(n * n)) as Float64Array;
  // orthonormalise columns
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let pr = 0;
      let pi = 0;
      for (let i = 0; i < n; i++) {
        // ⟨q_k, a_j⟩ = Σ conj(q_ik) a_ij
        pr += re[i * n + k]! * re[i * n + j]! + im[i * n + k]! * im[i * n + j]!;
        pi += re[i * n + k]! * im[i * n + j]! - im[i * n + k]! * re[i * n + j]!;
      }
      for (let i = 0; i < n; i++) {
        re[i * n + j]! -= pr * re[i * n + k]! - pi * im[i * n + k]!;
        im[i * n + j]! -= pr * im[i * n + k]! + pi * re[i * n + k]!;
      }
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += re[i * n + j]! ** 2 + im[i * n + j]! ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < n; i++) {
      re[i * n + j]! /= nrm;
      im[i * n + j]! /= nrm;
    }
  }
  return { re, im };
}

/** UᴴU as re/im n×n. */
function gram(re: Float64Array, im: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  const gr = new Float64Array(n * n);
  const gi = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      let sr = 0;
      let si = 0;
      for (let i = 0; i < n; i++) {
        sr += re[i * n + a]! * re[i * n + b]! + im[i * n + a]! * im[i * n + b]!;
        si += re[i * n + a]! * im[i * n + b]! - im[i * n + a]! * re[i * n + b]!;
      }
      gr[a * n + b] = sr;
      gi[a * n + b] = si;
    }
  return { re: gr, im: gi };
}

function unitarityError(U: { re: Float64Array; im: Float64Array }, n: number): number {
  const G = gram(U.re, U.im, n);
  let e = 0;
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) e += (G.re[a * n + b]! - (a === b ? 1 : 0)) ** 2 + G.im[a * n + b]! ** 2;
  return Math.sqrt(e);
}

/**
 * Eigenvalues of a Hermitian matrix H = Gr + i Gi via the real symmetric embedding
 * [[Gr, −Gi], [Gi, Gr]] (each eigenvalue appears twice) and cyclic Jacobi rotations.
 */
function hermitianEigenvalues(Gr: Float64Array, Gi: Float64Array, n: number): number[] {
  const m = 2 * n;
  const S = new Float64Array(m * m);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      S[a * m + b] = Gr[a * n + b]!;
      S[(a + n) * m + b + n] = Gr[a * n + b]!;
      S[a * m + b + n] = -Gi[a * n + b]!;
      S[(a + n) * m + b] = Gi[a * n + b]!;
    }
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += S[p * m + q]! ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < m; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = S[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (S[q * m + q]! - S[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = S[k * m + p]!;
          const akq = S[k * m + q]!;
          S[k * m + p] = c * akp - s * akq;
          S[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = S[p * m + k]!;
          const aqk = S[q * m + k]!;
          S[p * m + k] = c * apk - s * aqk;
          S[q * m + k] = s * apk + c * aqk;
        }
      }
  }
  return Array.from({ length: m }, (_, i) => S[i * m + i]!);
}

describe('MZI mesh physics', () => {
  it.each([
    ['clements', 'classical'],
    ['clements', 'threeMzi'],
    ['reck', 'classical'],
  ] as const)('lossless %s mesh of %s cells is unitary (‖UᴴU − I‖ ≤ 1e-12)', (topology, block) => {
    const rng = new Rng(1);
    for (const n of [4, 16, 32]) {
      const dev = new MziMesh({ dIn: n, dOut: n, topology, block, inputPhases: true, outputPhases: true });
      const w = dev.initParams(rng);
      for (let i = 0; i < w.length; i++) w[i] = 2 * Math.PI * rng.uniform();
      expect(unitarityError(dev.exact.unitary(w), n)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('with insertion loss and splitting errors the mesh is passive (all singular values ≤ 1)', () => {
    const n = 8;
    const rng = new Rng(2);
    const dev = new MziMesh({ dIn: n, dOut: n, lossDb: 0.3, splitError: 0.05, fabricationSeed: 3 });
    const w = dev.initParams(rng);
    const U = dev.exact.unitary(w);
    const G = gram(U.re, U.im, n);
    const ev = hermitianEigenvalues(G.re, G.im, n);
    const sMax = Math.sqrt(Math.max(...ev));
    const sMin = Math.sqrt(Math.min(...ev));
    // every column is block-diagonal with cells η × unitary: σ(column) ∈ [η, 1], and each even
    // column pairs all N modes (σ = η exactly), so η^N ≤ σ_min ≤ σ_max ≤ η^{N/2} < 1
    const eta = 10 ** (-0.3 / 20);
    expect(sMax).toBeLessThanOrEqual(eta ** (n / 2) + 1e-12);
    expect(sMin).toBeGreaterThanOrEqual(eta ** n - 1e-12);
    // and a lossy Reck mesh (paths of different lengths) is passive but not uniform
    const reck = new MziMesh({ dIn: n, dOut: n, topology: 'reck', lossDb: 0.3 });
    const U2 = reck.exact.unitary(reck.initParams(rng));
    const G2 = gram(U2.re, U2.im, n);
    const ev2 = hermitianEigenvalues(G2.re, G2.im, n);
    expect(Math.sqrt(Math.max(...ev2))).toBeLessThanOrEqual(1 + 1e-12);
    expect(Math.sqrt(Math.min(...ev2))).toBeLessThan(Math.sqrt(Math.max(...ev2)) - 1e-3);
  });

  it('reproduces the reference block layout: n = 2 is a single classical cell', () => {
    const dev = new MziMesh({ dIn: 2, dOut: 2 });
    const U = dev.exact.unitary(Float64Array.of(0.3, 0.7));
    expect(U.re[0]).toBeCloseTo(Math.cos(0.3) * Math.sin(0.7), 14);
    expect(U.im[0]).toBeCloseTo(Math.sin(0.3) * Math.sin(0.7), 14);
    expect(U.re[2]).toBeCloseTo(Math.cos(0.7), 14);
    expect(U.re[3]).toBeCloseTo(-Math.sin(0.7), 14);
  });

  it.each(['clements', 'reck'] as const)(
    'fromUnitary(%s) round trip ≤ 1e-10 for Haar unitaries N = 4..64',
    (topology) => {
      const rng = new Rng(7);
      for (const n of topology === 'clements' ? [4, 6, 16, 32, 64] : [3, 4, 16, 32]) {
        const U = haarUnitary(n, rng);
        const phases = fromUnitary(U.re, U.im, n, topology);
        const layout = topology === 'clements' ? clementsLayout(n) : reckLayout(n);
        const model: MeshModel = {
          layout,
          block: 'classical',
          inputPhases: true,
          outputPhases: false,
          eta: 1,
          splitting: null,
        };
        const V = meshUnitary(model, phases);
        let err = 0;
        for (let k = 0; k < n * n; k++)
          err = Math.max(err, Math.abs(V.re[k]! - U.re[k]!), Math.abs(V.im[k]! - U.im[k]!));
        expect(err, `N=${n}`).toBeLessThanOrEqual(1e-10);
      }
    },
  );

  it('query equals Re(U x) on the zero-padded input, batched', async () => {
    const rng = new Rng(3);
    const dev = new MziMesh({ dIn: 5, dOut: 3, outputPhases: true });
    expect(dev.n).toBe(6);
    const w = dev.initParams(rng);
    const X = rng.fillNormal(new Float64Array(4 * 5)) as Float64Array;
    const Y = await dev.query(X, w);
    const A = dev.exact.matrix(w);
    for (let b = 0; b < 4; b++)
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let j = 0; j < 5; j++) s += A[i * 5 + j]! * X[b * 5 + j]!;
        expect(Y[b * 3 + i]).toBeCloseTo(s, 12);
      }
  });

  it.each([
    ['coherent', {}],
    ['intensity', { readout: 'intensity' }],
    [
      'lossy 3-MZI + screens + crosstalk',
      { block: 'threeMzi', lossDb: 0.2, inputPhases: true, outputPhases: true, thermalCrosstalk: 0.1 },
    ],
    ['splitting errors', { splitError: 0.05, inputPhases: true }],
  ] as const)('exact.paramVjp matches finite differences (%s)', (_name, extra) => {
    const rng = new Rng(4);
    const dev = new MziMesh({ dIn: 4, dOut: 3, ...extra });
    const w = dev.initParams(rng);
    for (let i = 0; i < w.length; i++) w[i]! += 0.3 * rng.normal();
    const X = rng.fillNormal(new Float64Array(5 * 4)) as Float64Array;
    const Yb = rng.fillNormal(new Float64Array(5 * 3)) as Float64Array;
    const g = dev.exact.paramVjp(X, Yb, w);
    const loss = (v: Float64Array) => {
      const Y = dev.querySync(X, v);
      let s = 0;
      for (let k = 0; k < Y.length; k++) s += Y[k]! * Yb[k]!;
      return s;
    };
    const h = 1e-6;
    for (let k = 0; k < w.length; k++) {
      const wp = w.slice();
      const wm = w.slice();
      wp[k]! += h;
      wm[k]! -= h;
      expect(g[k]).toBeCloseTo((loss(wp) - loss(wm)) / (2 * h), 6);
    }
  });

  it('DAC quantisation: the mesh realises the quantised phases; phase noise changes repeated queries', async () => {
    const rng = new Rng(5);
    const dev = new MziMesh({ dIn: 4, dOut: 4, phaseBits: 6 });
    const ideal = new MziMesh({ dIn: 4, dOut: 4 });
    const w = dev.initParams(rng);
    const U = dev.exact.unitary(w);
    const Uq = ideal.exact.unitary(quantizePhase(w, 6, new Float64Array(w.length)));
    const U0 = ideal.exact.unitary(w);
    expect(Array.from(U.re)).toEqual(Array.from(Uq.re));
    expect(Math.max(...U.re.map((v, k) => Math.abs(v - U0.re[k]!)))).toBeGreaterThan(1e-4);
    const noisy = new MziMesh({ dIn: 4, dOut: 4, phaseNoise: 0.02, seed: 1 });
    const w2 = noisy.initParams(rng);
    const X = Float64Array.of(1, 0, 0, 0);
    const y1 = await noisy.query(X, w2);
    const y2 = await noisy.query(X);
    expect(y1).not.toEqual(y2);
  });
});
