// A sequence of two-mode cells applied to complex rows, in float64: the propagation of a batch
// through an MZI mesh (Clements/Reck) whose cells are given by their coefficients. Each cell on
// modes (m, m + 1), for every row b (mode-major: mode j's rows at j·rows … j·rows + rows − 1),
//   u = sn·x_m + cs·x_{m+1},   x_{m+1} ← cs·x_m − sn·x_{m+1},   x_m ← (c0 + i s0)·u
// with each product and sum rounded separately, in this order, for real and imaginary parts —
// exactly the scalar JavaScript loop of @tenzo/devices' meshContract, two rows per SIMD lane pair,
// so both give the same bits.

/**
 * Applies `cells` cells in order to the complex rows (re, im: n × rows float64, mode-major).
 * `mode` holds each cell's top mode (int32), `coef` its [c0, s0, sn, cs] (4 float64 per cell).
 */
export function meshCells64(cells: i32, rows: i32, re: usize, im: usize, mode: usize, coef: usize): void {
  const stride = (<usize>rows) << 3;
  const pairs = rows & ~1;
  for (let k = 0; k < cells; k++) {
    const q = coef + ((<usize>k) << 5);
    const c0 = load<f64>(q);
    const s0 = load<f64>(q, 8);
    const sn = load<f64>(q, 16);
    const cs = load<f64>(q, 24);
    const vc0 = f64x2.splat(c0);
    const vs0 = f64x2.splat(s0);
    const vsn = f64x2.splat(sn);
    const vcs = f64x2.splat(cs);
    const o0 = <usize>load<i32>(mode + ((<usize>k) << 2)) * stride;
    const r0 = re + o0;
    const i0 = im + o0;
    const r1 = r0 + stride;
    const i1 = i0 + stride;
    let b = 0;
    for (; b < pairs; b += 2) {
      const o = (<usize>b) << 3;
      const x0r = v128.load(r0 + o);
      const x0i = v128.load(i0 + o);
      const x1r = v128.load(r1 + o);
      const x1i = v128.load(i1 + o);
      const ur = f64x2.add(f64x2.mul(vsn, x0r), f64x2.mul(vcs, x1r));
      const ui = f64x2.add(f64x2.mul(vsn, x0i), f64x2.mul(vcs, x1i));
      v128.store(r1 + o, f64x2.sub(f64x2.mul(vcs, x0r), f64x2.mul(vsn, x1r)));
      v128.store(i1 + o, f64x2.sub(f64x2.mul(vcs, x0i), f64x2.mul(vsn, x1i)));
      v128.store(r0 + o, f64x2.sub(f64x2.mul(vc0, ur), f64x2.mul(vs0, ui)));
      v128.store(i0 + o, f64x2.add(f64x2.mul(vc0, ui), f64x2.mul(vs0, ur)));
    }
    for (; b < rows; b++) {
      const o = (<usize>b) << 3;
      const x0r = load<f64>(r0 + o);
      const x0i = load<f64>(i0 + o);
      const x1r = load<f64>(r1 + o);
      const x1i = load<f64>(i1 + o);
      const ur = sn * x0r + cs * x1r;
      const ui = sn * x0i + cs * x1i;
      store<f64>(r1 + o, cs * x0r - sn * x1r);
      store<f64>(i1 + o, cs * x0i - sn * x1i);
      store<f64>(r0 + o, c0 * ur - s0 * ui);
      store<f64>(i0 + o, c0 * ui + s0 * ur);
    }
  }
}

/**
 * Applies general complex 2×2 blocks in order to the complex rows (re, im: n × rows float64,
 * mode-major): block k acts on modes (mode[k], mode[k] + 1) with the 8 numbers
 * [a00r, a00i, a01r, a01i, a10r, a10i, a11r, a11i] at mats + 64·index[k] (int32 tables), each
 * output summed left to right as @tenzo/devices' applyBlock does, e.g.
 * re₀ ← ((a00r·x0r − a00i·x0i) + a01r·x1r) − a01i·x1i, so both give the same bits.
 */
export function meshBlocks64(
  blocks: i32,
  rows: i32,
  re: usize,
  im: usize,
  mode: usize,
  index: usize,
  mats: usize,
): void {
  const stride = (<usize>rows) << 3;
  const pairs = rows & ~1;
  for (let k = 0; k < blocks; k++) {
    const t = mats + ((<usize>load<i32>(index + ((<usize>k) << 2))) << 6);
    const a00r = load<f64>(t);
    const a00i = load<f64>(t, 8);
    const a01r = load<f64>(t, 16);
    const a01i = load<f64>(t, 24);
    const a10r = load<f64>(t, 32);
    const a10i = load<f64>(t, 40);
    const a11r = load<f64>(t, 48);
    const a11i = load<f64>(t, 56);
    const o0 = <usize>load<i32>(mode + ((<usize>k) << 2)) * stride;
    const r0 = re + o0;
    const i0 = im + o0;
    const r1 = r0 + stride;
    const i1 = i0 + stride;
    let b = 0;
    for (; b < pairs; b += 2) {
      const o = (<usize>b) << 3;
      const x0r = v128.load(r0 + o);
      const x0i = v128.load(i0 + o);
      const x1r = v128.load(r1 + o);
      const x1i = v128.load(i1 + o);
      v128.store(r0 + o, cmac(a00r, a00i, a01r, a01i, x0r, x0i, x1r, x1i, true));
      v128.store(i0 + o, cmac(a00r, a00i, a01r, a01i, x0r, x0i, x1r, x1i, false));
      v128.store(r1 + o, cmac(a10r, a10i, a11r, a11i, x0r, x0i, x1r, x1i, true));
      v128.store(i1 + o, cmac(a10r, a10i, a11r, a11i, x0r, x0i, x1r, x1i, false));
    }
    for (; b < rows; b++) {
      const o = (<usize>b) << 3;
      const x0r = load<f64>(r0 + o);
      const x0i = load<f64>(i0 + o);
      const x1r = load<f64>(r1 + o);
      const x1i = load<f64>(i1 + o);
      store<f64>(r0 + o, a00r * x0r - a00i * x0i + a01r * x1r - a01i * x1i);
      store<f64>(i0 + o, a00r * x0i + a00i * x0r + a01r * x1i + a01i * x1r);
      store<f64>(r1 + o, a10r * x0r - a10i * x0i + a11r * x1r - a11i * x1i);
      store<f64>(i1 + o, a10r * x0i + a10i * x0r + a11r * x1i + a11i * x1r);
    }
  }
}

// One output of a complex 2×2 row on two lanes: the real part
// ((ar·x0r − ai·x0i) + br·x1r) − bi·x1i, or the imaginary ((ar·x0i + ai·x0r) + br·x1i) + bi·x1r.
// @inline
function cmac(
  ar: f64,
  ai: f64,
  br: f64,
  bi: f64,
  x0r: v128,
  x0i: v128,
  x1r: v128,
  x1i: v128,
  real: bool,
): v128 {
  if (real) {
    const s = f64x2.sub(f64x2.mul(f64x2.splat(ar), x0r), f64x2.mul(f64x2.splat(ai), x0i));
    return f64x2.sub(f64x2.add(s, f64x2.mul(f64x2.splat(br), x1r)), f64x2.mul(f64x2.splat(bi), x1i));
  }
  const s = f64x2.add(f64x2.mul(f64x2.splat(ar), x0i), f64x2.mul(f64x2.splat(ai), x0r));
  return f64x2.add(f64x2.add(s, f64x2.mul(f64x2.splat(br), x1i)), f64x2.mul(f64x2.splat(bi), x1r));
}
