// The fused direction loop of a projected zeroth-order estimate (plain JavaScript, imported by
// the main thread and by worker threads alike; types in zoKernel.d.ts).
//
// For a simulator whose matrix is elementwise in ω, A_k = h(ω_k), the paper's estimate needs only
//   s_i = ⟨f_{ω+μu_i}(P), W⟩ − ⟨f_ω(P), W⟩ = Σ_k G_k (h(ω_k + μu_ik) − h(ω_k)),   G = Wᵀ P,
// so one direction costs O(p) instead of the rows × d_out × d_in product of the materialised
// query. Cosines of ω + x come from cached cos ω, sin ω by the angle-addition formula, with
// cos x − 1 and sin x from their Taylor series while |x| < 0.01 (truncation below 1e-22
// relative), so there is no transcendental per entry.

import { fillGaussian, fillSignBits } from './streams.js';

// cos x − 1 and sin x for the perturbation x: series for small |x|, else the library functions
// (cos x − 1 as −2 sin²(x/2), which keeps its relative accuracy)
function cosm1(x) {
  if (x > -0.01 && x < 0.01) {
    const x2 = x * x;
    return -x2 * (0.5 - x2 * (1 / 24 - x2 * (1 / 720 - x2 / 40320)));
  }
  const h = Math.sin(0.5 * x);
  return -2 * h * h;
}

function sinx(x) {
  if (x > -0.01 && x < 0.01) {
    const x2 = x * x;
    return x * (1 - x2 * (1 / 6 - x2 * (1 / 120 - x2 / 5040)));
  }
  return Math.sin(x);
}

// x_k = clamp(ω_k + μ u_k) − ω_k: the device saturates at its bounds (slack to each bound)
function clampStep(x, lo, hi) {
  return x < -lo ? -lo : Math.min(x, hi);
}

/**
 * Σ_k G_k (h(ω_k + x_k) − h(ω_k)) with x = μ u for Gaussian u (law-specific), clamped when the
 * largest step could reach a bound.
 */
function gaussianDiff(spec, u, clamp) {
  const { p, mu, law } = spec;
  const { C, S, slackLo, slackHi } = spec;
  let s = 0;
  if (law === 'cos') {
    // h = scale·cos: C = scale·G·cos ω, S = scale·G·sin ω
    for (let k = 0; k < p; k++) {
      let x = mu * u[k];
      if (clamp) x = clampStep(x, slackLo[k], slackHi[k]);
      s += C[k] * cosm1(x) - S[k] * sinx(x);
    }
    return s;
  }
  // 'allPass': h = 2 t(φ) − 1, t = √((α − β cos φ)/(γ − β cos φ)); C = cos ω, S = sin ω
  const { G2, T0, alpha, beta, gamma } = spec;
  for (let k = 0; k < p; k++) {
    let x = mu * u[k];
    if (clamp) x = clampStep(x, slackLo[k], slackHi[k]);
    const c = C[k] + (C[k] * cosm1(x) - S[k] * sinx(x));
    const bc = beta * c;
    s += G2[k] * (Math.sqrt((alpha - bc) / (gamma - bc)) - T0[k]);
  }
  return s;
}

/**
 * The per-entry tables of an elementwise estimate for entries [first, last): cos ω and sin ω
 * (times scale·G for 'cos'), the slack to the bounds, for 'allPass' t(ω) and 2G, and for
 * Rademacher directions Diff = Plus − Minus and Minus itself, with Plus_k, Minus_k =
 * G_k (h(ω_k ± μ) − h(ω_k)) from the angle-addition formula (an entry whose step would cross a
 * bound takes its clamped step). Each entry depends on its own inputs only, so any split of the
 * entries over threads gives the same tables; the caller forms the sums.
 */
export function elementwiseSetup(spec, first, last) {
  const { law, mu, G, omega, lower, upper, C, S, slackLo, slackHi } = spec;
  const rademacher = spec.directions === 'rademacher';
  const { Diff, Minus } = spec;
  const cm = Math.cos(mu) - 1;
  const sm = Math.sin(mu);
  for (let k = first; k < last; k++) {
    slackLo[k] = omega[k] - lower[k];
    slackHi[k] = upper[k] - omega[k];
  }
  if (law === 'cos') {
    const scale = spec.scale;
    for (let k = first; k < last; k++) {
      const g = scale * G[k];
      const c = g * Math.cos(omega[k]);
      const s = g * Math.sin(omega[k]);
      C[k] = c;
      S[k] = s;
      if (!rademacher) continue;
      const plus =
        mu <= slackHi[k] ? c * cm - s * sm : g * (Math.cos(omega[k] + slackHi[k]) - Math.cos(omega[k]));
      const minus =
        mu <= slackLo[k] ? c * cm + s * sm : g * (Math.cos(omega[k] - slackLo[k]) - Math.cos(omega[k]));
      Diff[k] = plus - minus;
      Minus[k] = minus;
    }
    return;
  }
  // 'allPass' (unbounded phases: no clamp to consider)
  const { alpha, beta, gamma, G2, T0 } = spec;
  for (let k = first; k < last; k++) {
    const c = Math.cos(omega[k]);
    const s = Math.sin(omega[k]);
    C[k] = c;
    S[k] = s;
    const t0 = Math.sqrt((alpha - beta * c) / (gamma - beta * c));
    T0[k] = t0;
    const g2 = 2 * G[k];
    G2[k] = g2;
    if (!rademacher) continue;
    const cp = c + (c * cm - s * sm);
    const cn = c + (c * cm + s * sm);
    const plus = g2 * (Math.sqrt((alpha - beta * cp) / (gamma - beta * cp)) - t0);
    const minus = g2 * (Math.sqrt((alpha - beta * cn) / (gamma - beta * cn)) - t0);
    Diff[k] = plus - minus;
    Minus[k] = minus;
  }
}

/**
 * Runs directions [first, last) of the estimate described by `spec` and writes their scaled
 * differences d_i (spec.diffs[i]) and the partial sum Σ_i (d_i / q) u_i into
 * spec.partials[chunk·p …]. The caller adds the partials in chunk order, so the sum is the same
 * whatever thread ran which chunk.
 */
export function zoChunk(spec, first, last, chunk) {
  if (spec.law === 'mesh') {
    meshChunk(spec, first, last, chunk);
    return;
  }
  const { p, q, mu, key0, key1, diffs, partials } = spec;
  const g = partials.subarray(chunk * p, (chunk + 1) * p);
  g.fill(0);
  const state = new Int32Array(4);
  const noise = spec.noiseScale;
  const z = new Float64Array(1);
  if (spec.directions === 'rademacher') {
    // u = ±1: h(ω ± μ) is cached, so a direction is a masked sum: with D = Plus − Minus (spec.Diff)
    // and the set bits b_k, s = Σ_k Minus_k + Σ_k b_k D_k (branch-free: the signs are coin flips)
    const { Diff, minusSum } = spec;
    const words = (p + 31) >>> 5;
    const bits = new Int32Array(words);
    for (let i = first; i < last; i++) {
      fillSignBits(bits, p, key0, key1, i, state);
      // adding only the entries whose bit is set, in increasing k (an unset bit adds an exact 0):
      // half the work of the masked sum, the same number
      let s = minusSum;
      for (let w = 0; w < words; w++) {
        let word = bits[w];
        const k0 = w << 5;
        while (word !== 0) {
          const low = word & -word;
          s += Diff[k0 + 31 - Math.clz32(low)];
          word ^= low;
        }
      }
      if (noise !== 0) {
        fillGaussian(z, 1, spec.noiseKey0, spec.noiseKey1, i, state);
        s += noise * z[0];
      }
      const d = (s - spec.baseOffset) / mu;
      diffs[i] = d;
      // g_k += ±d/q, as 2(d/q)·b_k − d/q (exact either way: no branch on a coin flip)
      const a = d / q;
      const a2 = a + a;
      for (let w = 0, k = 0; k < p; w++) {
        let word = bits[w];
        const end = Math.min(k + 32, p);
        for (; k < end; k++, word >>>= 1) g[k] += a2 * (word & 1) - a;
      }
    }
    return;
  }
  const u = new Float64Array(p);
  for (let i = first; i < last; i++) {
    const maxAbs = fillGaussian(u, p, key0, key1, i, state);
    let s = gaussianDiff(spec, u, mu * maxAbs > spec.minSlack);
    if (noise !== 0) {
      fillGaussian(z, 1, spec.noiseKey0, spec.noiseKey1, i, state);
      s += noise * z[0];
    }
    const d = (s - spec.baseOffset) / mu;
    diffs[i] = d;
    const a = d / q;
    for (let k = 0; k < p; k++) g[k] += a * u[k];
  }
}

/**
 * ⟨Re(U(ω + μu) X)[:d_out], W⟩ of a Clements/Reck mesh of ideal classical cells
 * T = η [[e^{iφ0} sin φ1, e^{iφ0} cos φ1], [cos φ1, −sin φ1]] (u = null: at ω). The cells' sines
 * and cosines come from the cached ones of ω by angle addition; a cell is applied as the real
 * rotation-reflection followed by the phase on its top mode, 12 multiplies per sample instead of
 * the general complex 2×2's 16. With `spec.gemm` (@tenzo/tensor's module) the rows go through its
 * `meshCells64`, two rows per SIMD register, else through the same loop in JavaScript: the two
 * round every product and sum in the same order, so they give the same bits. `re`, `im` are
 * n×rows scratch (mode-major) for the JavaScript loop.
 */
export function meshContract(spec, u, re, im) {
  const { rows, dOut, blockMode, X0, Wm } = spec;
  const nb = blockMode.length;
  const n = X0.length / rows;
  if (spec.gemm) {
    kernels ??= new WebAssembly.Instance(spec.gemm, {}).exports;
    const pRe = BASE;
    const pIm = align(pRe + n * rows * 8);
    const pCoef = align(pIm + n * rows * 8);
    const pMode = align(pCoef + nb * 32);
    const memory = kernels.memory;
    const end = pMode + nb * 4;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    const buf = memory.buffer;
    const wRe = new Float64Array(buf, pRe, n * rows);
    wRe.set(X0);
    new Float64Array(buf, pIm, n * rows).fill(0);
    cellCoefficients(spec, u, new Float64Array(buf, pCoef, nb * 4));
    new Int32Array(buf, pMode, nb).set(blockMode);
    kernels.meshCells64(nb, rows, pRe, pIm, pMode, pCoef);
    return contract(wRe, Wm, dOut * rows);
  }
  if (coefScratch.length < nb * 4) coefScratch = new Float64Array(nb * 4);
  const coef = coefScratch;
  cellCoefficients(spec, u, coef);
  re.set(X0);
  im.fill(0);
  for (let k = 0; k < nb; k++) {
    const c0 = coef[4 * k];
    const s0 = coef[4 * k + 1];
    const sn = coef[4 * k + 2];
    const cs = coef[4 * k + 3];
    const r0 = blockMode[k] * rows;
    const r1 = r0 + rows;
    for (let b = 0; b < rows; b++) {
      const x0r = re[r0 + b];
      const x0i = im[r0 + b];
      const x1r = re[r1 + b];
      const x1i = im[r1 + b];
      const ur = sn * x0r + cs * x1r;
      const ui = sn * x0i + cs * x1i;
      re[r1 + b] = cs * x0r - sn * x1r;
      im[r1 + b] = cs * x0i - sn * x1i;
      re[r0 + b] = c0 * ur - s0 * ui;
      im[r0 + b] = c0 * ui + s0 * ur;
    }
  }
  return contract(re, Wm, dOut * rows);
}

// the JavaScript loop's cell coefficients (one thread runs one chunk at a time)
let coefScratch = new Float64Array(0);

// Each cell's [c0, s0, sn, cs] = [cos φ0, sin φ0, η sin φ1, η cos φ1] at ω + μu (u = null: at ω).
function cellCoefficients(spec, u, coef) {
  const { eta, mu, blockOff, C0, S0, C1, S1 } = spec;
  const nb = blockOff.length;
  for (let k = 0; k < nb; k++) {
    let c0 = C0[k];
    let s0 = S0[k];
    let c1 = C1[k];
    let s1 = S1[k];
    if (u !== null) {
      const o = blockOff[k];
      const x0 = mu * u[o];
      const x1 = mu * u[o + 1];
      const a0 = cosm1(x0);
      const b0 = sinx(x0);
      const a1 = cosm1(x1);
      const b1 = sinx(x1);
      const c0n = c0 + (c0 * a0 - s0 * b0);
      s0 = s0 + (s0 * a0 + c0 * b0);
      c0 = c0n;
      const c1n = c1 + (c1 * a1 - s1 * b1);
      s1 = s1 + (s1 * a1 + c1 * b1);
      c1 = c1n;
    }
    coef[4 * k] = c0;
    coef[4 * k + 1] = s0;
    coef[4 * k + 2] = eta * s1;
    coef[4 * k + 3] = eta * c1;
  }
}

// Σ_k re[k]·W[k] over the first d_out modes, in order
function contract(re, Wm, count) {
  let s = 0;
  for (let k = 0; k < count; k++) s += re[k] * Wm[k];
  return s;
}

// The direction loop for a mesh: each direction propagates the probed rows through the
// perturbed mesh (no per-query matrices, copies or validation).
function meshChunk(spec, first, last, chunk) {
  const { p, q, mu, key0, key1, diffs, partials, n, rows } = spec;
  const g = partials.subarray(chunk * p, (chunk + 1) * p);
  g.fill(0);
  const state = new Int32Array(4);
  const u = new Float64Array(p);
  const re = new Float64Array(n * rows);
  const im = new Float64Array(n * rows);
  const z = new Float64Array(1);
  const bits = spec.directions === 'rademacher' ? new Int32Array((p + 31) >>> 5) : null;
  for (let i = first; i < last; i++) {
    if (bits === null) fillGaussian(u, p, key0, key1, i, state);
    else {
      fillSignBits(bits, p, key0, key1, i, state);
      for (let k = 0; k < p; k++) u[k] = ((bits[k >>> 5] >>> (k & 31)) & 1) * 2 - 1;
    }
    let s = meshContract(spec, u, re, im) - spec.cleanBase;
    if (spec.noiseScale !== 0) {
      fillGaussian(z, 1, spec.noiseKey0, spec.noiseKey1, i, state);
      s += spec.noiseScale * z[0];
    }
    const d = (s - spec.baseOffset) / mu;
    diffs[i] = d;
    const a = d / q;
    for (let k = 0; k < p; k++) g[k] += a * u[k];
  }
}

/**
 * grad_k = Σ_c partials[c·p + k] over the chunks in chunk order, for entries [first, last): the
 * same additions in the same order for any split of the entries, so any thread count gives the
 * same ω̄.
 */
export function reducePartials(spec, first, last) {
  const { p, partials, grad, parts } = spec;
  grad.fill(0, first, last);
  // by blocks of entries that stay in cache, each block swept chunk by chunk (entry k still gets
  // its partials added in chunk order)
  for (let b = first; b < last; b += 2048) {
    const end = Math.min(b + 2048, last);
    for (let c = 0; c < parts; c++) {
      const o = c * p;
      for (let k = b; k < end; k++) grad[k] += partials[o + k];
    }
  }
}

// @tenzo/tensor's WebAssembly float64 GEMM, instantiated once per thread from the module a spec
// carries (workers cannot import the package's TypeScript sources). Its buffers are laid out as
// the fast backend lays them out (KC = 256, MC = 128, 4×4 tiles), and it sums every output over k
// in the same order for any m and n, so a block of a product equals that block of the whole.
const KC = 256;
const MC = 128;
const TILE = 4;
const BASE = 65536;
let kernels = null;

function align(x) {
  return (x + 63) & ~63;
}

/**
 * C = op(A) op(B) (m×n, sums over k) in float64; op(A)[i, p] = a[i·rsa + p·csa],
 * op(B)[p, j] = b[p·rsb + j·csb]. Returns a view of the instance's memory, valid until the next call.
 */
function dgemm(module, a, rsa, csa, b, rsb, csb, m, n, k) {
  kernels ??= new WebAssembly.Instance(module, {}).exports;
  const pA = BASE;
  const pB = align(pA + a.length * 8);
  const pC = align(pB + b.length * 8);
  const pPackA = align(pC + m * n * 8);
  const pPackB = align(pPackA + MC * KC * 8);
  const pTile = align(pPackB + KC * Math.ceil(n / TILE) * TILE * 8);
  const end = pTile + TILE * TILE * 8;
  const memory = kernels.memory;
  if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
  const buf = memory.buffer;
  new Float64Array(buf, pA, a.length).set(a);
  new Float64Array(buf, pB, b.length).set(b);
  kernels.dgemm(m, n, k, pA, rsa, csa, pB, rsb, csb, pC, pPackA, pPackB, pTile);
  return new Float64Array(buf, pC, m * n);
}

/**
 * Rows [first, last) of G = Wᵀ P (spec.G, d_out×d_in), then the per-entry tables of their entries
 * [first·d_in, last·d_in): the rows of the whole product, for any split (see `dgemm`).
 */
export function fieldRows(spec, first, last) {
  const { rows, dIn, dOut, P, W, G } = spec;
  const n = last - first;
  const Wc = new Float64Array(rows * n);
  for (let b = 0; b < rows; b++) {
    const o = b * dOut + first;
    for (let i = 0; i < n; i++) Wc[b * n + i] = W[o + i];
  }
  // op(A) = Wcᵀ (n×rows), op(B) = P (rows×d_in)
  G.set(dgemm(spec.gemm, Wc, 1, n, P, dIn, 1, n, dIn, rows), first * dIn);
  elementwiseSetup(spec, first * dIn, last * dIn);
}

/**
 * Outputs [first, last) of a sharded device query: when spec.build, the matrix rows
 * A[first:last, :] from the elementwise law of the phases φ ('cos': scale·cos φ; 'allPass':
 * 2 t(φ) − 1, t = √((α − β cos φ)/(γ − β cos φ))), then out[:, first:last] = X · A[first:last, :]ᵀ:
 * the columns of the product with the whole matrix, for any split (see `dgemm`).
 */
export function queryColumns(spec, first, last) {
  const { batch, dIn, dOut, A, X, out } = spec;
  const k0 = first * dIn;
  const k1 = last * dIn;
  if (spec.build) {
    const phi = spec.phi;
    if (spec.law === 'cos') {
      const s = spec.scale;
      for (let k = k0; k < k1; k++) A[k] = Math.cos(phi[k]) * s;
    } else {
      const { alpha, beta, gamma } = spec;
      for (let k = k0; k < k1; k++) {
        const c = beta * Math.cos(phi[k]);
        A[k] = 2 * Math.sqrt((alpha - c) / (gamma - c)) - 1;
      }
    }
  }
  const n = last - first;
  // op(A) = X (batch×d_in), op(B) = A[first:last, :]ᵀ (d_in×n)
  const y = dgemm(spec.gemm, X, dIn, 1, A.subarray(k0, k1), 1, dIn, batch, n, dIn);
  for (let b = 0; b < batch; b++) {
    const o = b * dOut + first;
    for (let i = 0; i < n; i++) out[o + i] = y[b * n + i];
  }
}

/**
 * Applies a mesh's blocks in order to a mode-major complex state (re, im: n×rows) through
 * @tenzo/tensor's `meshBlocks64` (the compiled `module`): block k is the 2×2 `mats[8·index[k] …]`
 * on modes (mode[k], mode[k] + 1). The state is copied in and back; the bits are those of the
 * JavaScript loop (`applyBlock` in mesh/propagate.ts).
 */
export function applyBlocksWasm(module, re, im, rows, mode, index, mats) {
  kernels ??= new WebAssembly.Instance(module, {}).exports;
  const count = re.length;
  const pRe = BASE;
  const pIm = align(pRe + count * 8);
  const pMats = align(pIm + count * 8);
  const pMode = align(pMats + mats.length * 8);
  const pIndex = align(pMode + mode.length * 4);
  const end = pIndex + index.length * 4;
  const memory = kernels.memory;
  if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
  const buf = memory.buffer;
  const wRe = new Float64Array(buf, pRe, count);
  const wIm = new Float64Array(buf, pIm, count);
  wRe.set(re);
  wIm.set(im);
  new Float64Array(buf, pMats, mats.length).set(mats);
  new Int32Array(buf, pMode, mode.length).set(mode);
  new Int32Array(buf, pIndex, index.length).set(index);
  kernels.meshBlocks64(mode.length, rows, pRe, pIm, pMode, pIndex, pMats);
  re.set(wRe);
  im.set(wIm);
}

/** Runs one chunk of any kind. */
export function runChunk(spec, c) {
  if (c.kind === 'setup') elementwiseSetup(spec, c.first, c.last);
  else if (c.kind === 'reduce') reducePartials(spec, c.first, c.last);
  else if (c.kind === 'fields') fieldRows(spec, c.first, c.last);
  else if (c.kind === 'query') queryColumns(spec, c.first, c.last);
  else zoChunk(spec, c.first, c.last, c.chunk);
}

/**
 * Runs chunks until none is left unclaimed: each participating thread takes the next index from
 * the shared counter `next[0]`, so the chunks spread over whichever threads are free.
 * @param {import('./zoKernel.js').KernelSpec} spec
 * @param {readonly { kind?: 'setup' | 'fields' | 'reduce' | 'query', first: number, last: number, chunk: number }[]} chunks
 * @param {Int32Array} next
 * @returns {number} the chunks this thread ran
 */
export function claimChunks(spec, chunks, next) {
  let ran = 0;
  for (let i = Atomics.add(next, 0, 1); i < chunks.length; i = Atomics.add(next, 0, 1)) {
    runChunk(spec, chunks[i]);
    ran++;
  }
  return ran;
}
