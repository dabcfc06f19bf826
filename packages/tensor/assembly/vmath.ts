// Vectorised float32 exp, sigmoid and row-wise softmax for the fast backend (compiled together
// with gemm.ts, see index.ts). Math.exp costs ~8–10 ns per value in V8; four lanes of a
// polynomial cost well under 1 ns, which is what makes softmax and cross-entropy fast.
//
// exp: Cephes' expf — x = n·ln2 + r with ln2 split in two (exact n·C1), a degree-7 polynomial
// for eʳ on |r| ≤ ln2/2 (≤ 1–2 ulp in float32), 2ⁿ built in the exponent bits. Inputs above
// ln(FLT_MAX) give +∞, below −87.336 (where eˣ leaves the normal range) give 0; NaN propagates.

const LOG2E: f32 = Mathf.LOG2E;
const C1: f32 = 0.693359375;
const C2: f32 = -2.1219444e-4;
const HI: f32 = 88.72283935546875; // ln(FLT_MAX), rounded up to float32
const LO: f32 = -87.33654475; // ln(FLT_MIN)

function vexp(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(HI)), f32x4.splat(LO));
  const fx = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(fx, f32x4.splat(C1))), f32x4.mul(fx, f32x4.splat(C2)));
  let y = f32x4.splat(1.98756915e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(r, r)), r), f32x4.splat(1));
  // 2ⁿ as 2ⁿ⁻¹·2 so that n = 128 (x just below ln FLT_MAX) still has a finite exponent field
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const pow2 = i32x4.shl(i32x4.add(n, i32x4.splat(126)), 23);
  let e = f32x4.mul(f32x4.mul(y, pow2), f32x4.splat(2));
  e = v128.bitselect(f32x4.splat(Infinity), e, f32x4.gt(x, f32x4.splat(HI)));
  return v128.bitselect(f32x4.splat(0), e, f32x4.lt(x, f32x4.splat(LO)));
}

/** dst[i] = exp(src[i]) (op 0) or sigmoid(src[i]) (op 1) for i < n; n rounded up to 4 by the caller. */
export function vunary32(op: i32, src: usize, dst: usize, n: i32): void {
  const end = src + ((<usize>n) << 2);
  if (op === 0) {
    for (; src < end; src += 16, dst += 16) v128.store(dst, vexp(v128.load(src)));
    return;
  }
  const one = f32x4.splat(1);
  for (; src < end; src += 16, dst += 16) {
    // the two-sided form: e = exp(−|x|) never overflows; σ = 1/(1+e) for x ≥ 0, e/(1+e) below
    const x = v128.load(src);
    const e = vexp(f32x4.neg(f32x4.abs(x)));
    const d = f32x4.add(one, e);
    v128.store(dst, f32x4.div(v128.bitselect(one, e, f32x4.ge(x, f32x4.splat(0))), d));
  }
}

/**
 * Row statistics of a rows×len float32 matrix (row stride `ld` ≥ len, a multiple of 4, padding
 * ignored): stats[2r] = max of row r, stats[2r+1] = Σ exp(x − max) (float64, summed per lane).
 */
export function rowStats32(src: usize, rows: i32, len: i32, ld: i32, stats: usize): void {
  const full = len & ~3;
  for (let r = 0; r < rows; r++) {
    const row = src + ((<usize>(r * ld)) << 2);
    let mv = f32x4.splat(-Infinity);
    for (let i = 0; i < full; i += 4) mv = f32x4.max(mv, v128.load(row + ((<usize>i) << 2)));
    let mx = max(
      max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
      max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
    );
    for (let i = full; i < len; i++) mx = max(mx, load<f32>(row + ((<usize>i) << 2)));
    // an all −∞ row shifts by 0 (as the reference does)
    const shift = mx === -Infinity ? <f32>0 : mx;
    const sv = f32x4.splat(shift);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (let i = 0; i < full; i += 4) {
      const e = vexp(f32x4.sub(v128.load(row + ((<usize>i) << 2)), sv));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    }
    let s =
      f64x2.extract_lane(lo, 0) +
      f64x2.extract_lane(lo, 1) +
      (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
    // the ragged tail, one value per vector call
    for (let i = full; i < len; i++)
      s += <f64>f32x4.extract_lane(vexp(f32x4.splat(load<f32>(row + ((<usize>i) << 2)) - shift)), 0);
    store<f64>(stats + ((<usize>r) << 4), <f64>mx);
    store<f64>(stats + ((<usize>r) << 4), s, 8);
  }
}

/** dst = exp(x − lse[r]) (log = 0) or x − lse[r] (log = 1) row by row; rows padded to ld. */
export function rowApply32(src: usize, dst: usize, rows: i32, ld: i32, lse: usize, log: i32): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>(r * ld)) << 2;
    const l = v128.load32_splat(lse + ((<usize>r) << 2));
    const end = src + off + ((<usize>ld) << 2);
    let d = dst + off;
    if (log) {
      for (let p = src + off; p < end; p += 16, d += 16) v128.store(d, f32x4.sub(v128.load(p), l));
    } else {
      for (let p = src + off; p < end; p += 16, d += 16) v128.store(d, vexp(f32x4.sub(v128.load(p), l)));
    }
  }
}
