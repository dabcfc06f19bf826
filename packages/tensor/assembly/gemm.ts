// AssemblyScript source of the fast backend's GEMM (compiled with vmath.ts from index.ts by
// `node scripts/build-wasm.mjs` into src/backends/fast/wasm/kernelsWasm.ts; never imported by TS).
//
// C[m×n] = op(A)·op(B), row-major C with leading dimension n. A and B are addressed through
// element strides (rs = row stride, cs = column stride), so transposed operands cost nothing:
// the transposition happens while packing. BLIS-style blocking: for every KC slice of k, B is
// packed into NR-wide column panels, and every MC×KC block of A into MR-tall row panels; the
// micro-kernel keeps an MR×NR tile of C in SIMD registers (f32: 4×8 = 8 f32x4 accumulators,
// f64: 4×4 = 8 f64x2 accumulators), broadcasting one A value against two B vectors per row.
// All pointers are byte offsets into the exported memory, laid out by the caller.

const KC: i32 = 256;
const MC: i32 = 128;
const MR: i32 = 4;
const NR32: i32 = 8;
const NR64: i32 = 4;

/** Packs A[0:mc, 0:kc] (pointer a, element strides rs/cs) into MR-row panels, zero padded. */
function packA32(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    if (rows === MR && cs === 1) {
      // rows contiguous along k: four streams, one value each per p
      const r0 = a + ((<usize>(i0 * rs)) << 2);
      const r1 = r0 + ((<usize>rs) << 2);
      const r2 = r1 + ((<usize>rs) << 2);
      const r3 = r2 + ((<usize>rs) << 2);
      for (let p = 0; p < kc; p++) {
        const o = (<usize>p) << 2;
        store<f32>(dst, load<f32>(r0 + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        dst += 16;
      }
    } else if (rows === MR && rs === 1) {
      // transposed A: the MR values of one p are contiguous
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(p * cs + i0)) << 2);
        v128.store(dst, v128.load(src));
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(a + ((<usize>((i0 + r) * rs + p * cs)) << 2)) : 0;
          store<f32>(dst + ((<usize>r) << 2), v);
        }
        dst += 16;
      }
    }
  }
}

/** Packs B[0:kc, 0:nc] into NR32-column panels, zero padded. */
function packB32(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR32) {
    const cols = min(NR32, nc - j0);
    if (cols === NR32 && cs === 1) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p * rs + j0)) << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR32; c++) {
          const v: f32 = c < cols ? load<f32>(b + ((<usize>(p * rs + (j0 + c) * cs)) << 2)) : 0;
          store<f32>(dst + ((<usize>c) << 2), v);
        }
        dst += 32;
      }
    }
  }
}

/** C[4×8] (byte leading dimension ldc) += Ap[kc×4]ᵀ·Bp[kc×8]. */
function kernel32(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  v128.store(c, f32x4.add(v128.load(c), c00));
  v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
  c += ldc;
  v128.store(c, f32x4.add(v128.load(c), c10));
  v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
  c += ldc;
  v128.store(c, f32x4.add(v128.load(c), c20));
  v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
  c += ldc;
  v128.store(c, f32x4.add(v128.load(c), c30));
  v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
}

/**
 * C = op(A)·op(B) in float32: A is m×k through strides (rsa, csa), B is k×n through (rsb, csb),
 * C is m×n row-major and overwritten. pa needs MC·KC floats, pb KC·⌈n/8⌉·8 floats, tile 32.
 */
export function sgemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  pa: usize,
  pb: usize,
  tile: usize,
): void {
  memory.fill(c, 0, (<usize>(m * n)) << 2);
  const ldc = (<usize>n) << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB32(b + ((<usize>(p0 * rsb)) << 2), rsb, csb, kc, n, pb);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      packA32(a + ((<usize>(i0 * rsa + p0 * csa)) << 2), rsa, csa, mc, kc, pa);
      for (let j0 = 0; j0 < n; j0 += NR32) {
        const nr = min(NR32, n - j0);
        const bp = pb + ((<usize>(j0 * kc)) << 2);
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const ap = pa + ((<usize>(ir * kc)) << 2);
          const cij = c + ((<usize>((i0 + ir) * n + j0)) << 2);
          if (mr === MR && nr === NR32) {
            kernel32(kc, ap, bp, cij, ldc);
          } else {
            memory.fill(tile, 0, (<usize>(MR * NR32)) << 2);
            kernel32(kc, ap, bp, tile, (<usize>NR32) << 2);
            for (let r = 0; r < mr; r++) {
              for (let q = 0; q < nr; q++) {
                const dst = cij + <usize>r * ldc + ((<usize>q) << 2);
                store<f32>(dst, load<f32>(dst) + load<f32>(tile + ((<usize>(r * NR32 + q)) << 2)));
              }
            }
          }
        }
      }
    }
  }
}

function packA64(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    if (rows === MR && cs === 1) {
      const r0 = a + ((<usize>(i0 * rs)) << 3);
      const r1 = r0 + ((<usize>rs) << 3);
      const r2 = r1 + ((<usize>rs) << 3);
      const r3 = r2 + ((<usize>rs) << 3);
      for (let p = 0; p < kc; p++) {
        const o = (<usize>p) << 3;
        store<f64>(dst, load<f64>(r0 + o));
        store<f64>(dst, load<f64>(r1 + o), 8);
        store<f64>(dst, load<f64>(r2 + o), 16);
        store<f64>(dst, load<f64>(r3 + o), 24);
        dst += 32;
      }
    } else if (rows === MR && rs === 1) {
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(p * cs + i0)) << 3);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f64 = r < rows ? load<f64>(a + ((<usize>((i0 + r) * rs + p * cs)) << 3)) : 0;
          store<f64>(dst + ((<usize>r) << 3), v);
        }
        dst += 32;
      }
    }
  }
}

function packB64(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR64) {
    const cols = min(NR64, nc - j0);
    if (cols === NR64 && cs === 1) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p * rs + j0)) << 3);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR64; c++) {
          const v: f64 = c < cols ? load<f64>(b + ((<usize>(p * rs + (j0 + c) * cs)) << 3)) : 0;
          store<f64>(dst + ((<usize>c) << 3), v);
        }
        dst += 32;
      }
    }
  }
}

/** C[4×4] += Ap[kc×4]ᵀ·Bp[kc×4] in float64. */
function kernel64(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize): void {
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    ap += 32;
    bp += 32;
  }
  v128.store(c, f64x2.add(v128.load(c), c00));
  v128.store(c, f64x2.add(v128.load(c, 16), c01), 16);
  c += ldc;
  v128.store(c, f64x2.add(v128.load(c), c10));
  v128.store(c, f64x2.add(v128.load(c, 16), c11), 16);
  c += ldc;
  v128.store(c, f64x2.add(v128.load(c), c20));
  v128.store(c, f64x2.add(v128.load(c, 16), c21), 16);
  c += ldc;
  v128.store(c, f64x2.add(v128.load(c), c30));
  v128.store(c, f64x2.add(v128.load(c, 16), c31), 16);
}

/** The float64 twin of sgemm: pb needs KC·⌈n/4⌉·4 doubles, tile 16 doubles. */
export function dgemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  rsa: i32,
  csa: i32,
  b: usize,
  rsb: i32,
  csb: i32,
  c: usize,
  pa: usize,
  pb: usize,
  tile: usize,
): void {
  memory.fill(c, 0, (<usize>(m * n)) << 3);
  const ldc = (<usize>n) << 3;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB64(b + ((<usize>(p0 * rsb)) << 3), rsb, csb, kc, n, pb);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      packA64(a + ((<usize>(i0 * rsa + p0 * csa)) << 3), rsa, csa, mc, kc, pa);
      for (let j0 = 0; j0 < n; j0 += NR64) {
        const nr = min(NR64, n - j0);
        const bp = pb + ((<usize>(j0 * kc)) << 3);
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const ap = pa + ((<usize>(ir * kc)) << 3);
          const cij = c + ((<usize>((i0 + ir) * n + j0)) << 3);
          if (mr === MR && nr === NR64) {
            kernel64(kc, ap, bp, cij, ldc);
          } else {
            memory.fill(tile, 0, (<usize>(MR * NR64)) << 3);
            kernel64(kc, ap, bp, tile, (<usize>NR64) << 3);
            for (let r = 0; r < mr; r++) {
              for (let q = 0; q < nr; q++) {
                const dst = cij + <usize>r * ldc + ((<usize>q) << 3);
                store<f64>(dst, load<f64>(dst) + load<f64>(tile + ((<usize>(r * NR64 + q)) << 3)));
              }
            }
          }
        }
      }
    }
  }
}
