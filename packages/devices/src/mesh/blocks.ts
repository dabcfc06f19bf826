import { checkInt, checkNumber } from '@tenzo/core';
import { checkVector } from '../argumentChecks.js';
/**
 * 2×2 transfer matrices of the mesh's unit cells, written as 8 numbers
 * [re00, im00, re01, im01, re10, im10, re11, im11] at `o` in `out`.
 */

/**
 * The reference's classical MZI (METHODS.md §1.5):
 *   T(φ0, φ1) = [[e^{iφ0} sin φ1, e^{iφ0} cos φ1], [cos φ1, −sin φ1]],
 * i.e. an external phase φ0 on the top output after a balanced MZI with internal phase 2φ1.
 */
export function classicalBlock(phi0: number, phi1: number, out: Float64Array, o: number): void {
  checkBlockArgs('classicalBlock', phi0, phi1, out, o);
  const s = Math.sin(phi1);
  const c = Math.cos(phi1);
  const er = Math.cos(phi0);
  const ei = Math.sin(phi0);
  out[o] = er * s;
  out[o + 1] = ei * s;
  out[o + 2] = er * c;
  out[o + 3] = ei * c;
  out[o + 4] = c;
  out[o + 5] = 0;
  out[o + 6] = -s;
  out[o + 7] = 0;
}

/** ∂T/∂φ0 and ∂T/∂φ1 of {@link classicalBlock}, written at o and o + 8. */
export function classicalBlockDerivatives(phi0: number, phi1: number, out: Float64Array, o: number): void {
  const s = Math.sin(phi1);
  const c = Math.cos(phi1);
  const er = Math.cos(phi0);
  const ei = Math.sin(phi0);
  // ∂/∂φ0 = [[i e^{iφ0} s, i e^{iφ0} c], [0, 0]]
  out[o] = -ei * s;
  out[o + 1] = er * s;
  out[o + 2] = -ei * c;
  out[o + 3] = er * c;
  out.fill(0, o + 4, o + 8);
  // ∂/∂φ1 = [[e^{iφ0} c, −e^{iφ0} s], [−s, −c]]
  out[o + 8] = er * c;
  out[o + 9] = ei * c;
  out[o + 10] = -er * s;
  out[o + 11] = -ei * s;
  out[o + 12] = -s;
  out[o + 13] = 0;
  out[o + 14] = -c;
  out[o + 15] = 0;
}

/**
 * The reference's "3-MZI" cell (astralora `bb_layer_mzi`): with p = (θ − φ)/2, q = (θ + φ)/2,
 *   T = e^{iq}/√2 · [[sin p + i sin q, −cos p + i cos q], [cos p + i cos q, sin p − i sin q]].
 */
export function threeMziBlock(theta: number, phi: number, out: Float64Array, o: number): void {
  checkBlockArgs('threeMziBlock', theta, phi, out, o);
  const p = (theta - phi) / 2;
  const q = (theta + phi) / 2;
  const sp = Math.sin(p);
  const cp = Math.cos(p);
  const sq = Math.sin(q);
  const cq = Math.cos(q);
  const gr = Math.cos(q) / Math.SQRT2;
  const gi = Math.sin(q) / Math.SQRT2;
  // (gr + i gi)(x + i y) = (gr x − gi y) + i(gr y + gi x)
  const put = (k: number, x: number, y: number) => {
    out[o + k] = gr * x - gi * y;
    out[o + k + 1] = gr * y + gi * x;
  };
  put(0, sp, sq);
  put(2, -cp, cq);
  put(4, cp, cq);
  put(6, sp, -sq);
}

/** out = A · B for 2×2 complex matrices in the 8-number layout (out must not alias A or B). */
export function mul2(
  A: Float64Array,
  a: number,
  B: Float64Array,
  b: number,
  out: Float64Array,
  o: number,
): void {
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < 2; k++) {
        const ar = A[a + 4 * i + 2 * k]!;
        const ai = A[a + 4 * i + 2 * k + 1]!;
        const br = B[b + 4 * k + 2 * j]!;
        const bi = B[b + 4 * k + 2 * j + 1]!;
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[o + 4 * i + 2 * j] = re;
      out[o + 4 * i + 2 * j + 1] = im;
    }
  }
}

/**
 * The classical cell built from its physical parts, to model coupler splitting errors:
 *   T = P_out(φ0) · (−i e^{−iφ1}) · BS(ε2) · diag(e^{2iφ1}, 1) · BS(ε1),
 *   BS(ε) = [[cos(π/4 + ε), i sin(π/4 + ε)], [i sin(π/4 + ε), cos(π/4 + ε)]].
 * With ε1 = ε2 = 0 this equals {@link classicalBlock} exactly (the prefactor removes the MZI's
 * common phase). `scratch` needs 24 entries.
 */
export function classicalBlockWithSplitting(
  phi0: number,
  phi1: number,
  eps1: number,
  eps2: number,
  out: Float64Array,
  o: number,
  scratch: Float64Array,
): void {
  const bs = (eps: number, k: number) => {
    const c = Math.cos(Math.PI / 4 + eps);
    const s = Math.sin(Math.PI / 4 + eps);
    scratch.set([c, 0, 0, s, 0, s, c, 0], k);
  };
  bs(eps1, 0);
  // diag(e^{2iφ1}, 1) · BS(ε1): scale the top row
  const c2 = Math.cos(2 * phi1);
  const s2 = Math.sin(2 * phi1);
  for (const k of [0, 2]) {
    const re = scratch[k]!;
    const im = scratch[k + 1]!;
    scratch[k] = c2 * re - s2 * im;
    scratch[k + 1] = c2 * im + s2 * re;
  }
  bs(eps2, 8);
  mul2(scratch, 8, scratch, 0, scratch, 16);
  // common factor −i e^{−iφ1} = e^{−i(φ1 + π/2)}; top row also gets e^{iφ0}
  const g0 = -(phi1 + Math.PI / 2);
  for (let i = 0; i < 2; i++) {
    const ph = i === 0 ? g0 + phi0 : g0;
    const cr = Math.cos(ph);
    const ci = Math.sin(ph);
    for (let j = 0; j < 2; j++) {
      const re = scratch[16 + 4 * i + 2 * j]!;
      const im = scratch[16 + 4 * i + 2 * j + 1]!;
      out[o + 4 * i + 2 * j] = cr * re - ci * im;
      out[o + 4 * i + 2 * j + 1] = cr * im + ci * re;
    }
  }
}

/** Two finite phases and room for the 8 numbers of the 2×2 complex matrix at out[o…o+7]. */
function checkBlockArgs(op: string, p0: number, p1: number, out: Float64Array, o: number): void {
  checkNumber(`${op}: phase 0`, p0);
  checkNumber(`${op}: phase 1`, p1);
  checkVector(`${op}: out`, out, false);
  checkInt(`${op}: o`, o, { max: out.length - 8 });
}
