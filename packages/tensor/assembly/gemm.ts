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

/**
 * Rows r0..r3 (4 floats each, row c = column c of a B panel at p..p+3) transposed: lane c of
 * output q goes to dst + q·32 + c·4, the packed panel's row p + q (NR32 = 8 floats apart).
 */
function transpose4x4Store32(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
  v128.store(dst, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
  v128.store(dst, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
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
    } else if (cols === NR32 && rs === 1) {
      // transposed B (a Linear's weight [n, k]): each column is contiguous along k, so 4×4 blocks
      // of two column quads are loaded as rows and transposed in registers
      const q0 = b + ((<usize>(j0 * cs)) << 2);
      const q1 = q0 + ((<usize>cs) << 2);
      const q2 = q1 + ((<usize>cs) << 2);
      const q3 = q2 + ((<usize>cs) << 2);
      const q4 = q3 + ((<usize>cs) << 2);
      const q5 = q4 + ((<usize>cs) << 2);
      const q6 = q5 + ((<usize>cs) << 2);
      const q7 = q6 + ((<usize>cs) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = (<usize>p) << 2;
        transpose4x4Store32(v128.load(q0 + o), v128.load(q1 + o), v128.load(q2 + o), v128.load(q3 + o), dst);
        transpose4x4Store32(
          v128.load(q4 + o),
          v128.load(q5 + o),
          v128.load(q6 + o),
          v128.load(q7 + o),
          dst + 16,
        );
        dst += 128;
      }
      for (; p < kc; p++) {
        const o = (<usize>p) << 2;
        store<f32>(dst, load<f32>(q0 + o));
        store<f32>(dst, load<f32>(q1 + o), 4);
        store<f32>(dst, load<f32>(q2 + o), 8);
        store<f32>(dst, load<f32>(q3 + o), 12);
        store<f32>(dst, load<f32>(q4 + o), 16);
        store<f32>(dst, load<f32>(q5 + o), 20);
        store<f32>(dst, load<f32>(q6 + o), 24);
        store<f32>(dst, load<f32>(q7 + o), 28);
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
    } else if (cols === NR64 && rs === 1) {
      // transposed B: 2×2 blocks of two column pairs, transposed in registers
      const q0 = b + ((<usize>(j0 * cs)) << 3);
      const q1 = q0 + ((<usize>cs) << 3);
      const q2 = q1 + ((<usize>cs) << 3);
      const q3 = q2 + ((<usize>cs) << 3);
      let p = 0;
      for (; p + 2 <= kc; p += 2) {
        const o = (<usize>p) << 3;
        const a0 = v128.load(q0 + o);
        const a1 = v128.load(q1 + o);
        const a2 = v128.load(q2 + o);
        const a3 = v128.load(q3 + o);
        v128.store(dst, i64x2.shuffle(a0, a1, 0, 2));
        v128.store(dst, i64x2.shuffle(a2, a3, 0, 2), 16);
        v128.store(dst, i64x2.shuffle(a0, a1, 1, 3), 32);
        v128.store(dst, i64x2.shuffle(a2, a3, 1, 3), 48);
        dst += 64;
      }
      for (; p < kc; p++) {
        const o = (<usize>p) << 3;
        store<f64>(dst, load<f64>(q0 + o));
        store<f64>(dst, load<f64>(q1 + o), 8);
        store<f64>(dst, load<f64>(q2 + o), 16);
        store<f64>(dst, load<f64>(q3 + o), 24);
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

// Few rows against a transposed B (a Linear's weight [n, k] at decode time): packing B would cost
// as much as the product, so these read B in place. Each C entry is summed in exactly sgemm's
// order (sequentially over p within each KC slice, slices added to C in turn, multiply and add
// rounded separately), so a row's result does not depend on m or on which kernel ran it — the
// property that keeps speculative decoding's m-row verification bit-identical to m = 1 decoding.

/**
 * C = A·op(B) in float32 for m ≤ 4 rows, with A's rows contiguous (csa = 1, row stride rsa) and
 * op(B)'s columns contiguous (rsb = 1, column stride csb): C[i, j] = Σ_p A[i, p]·B[j·csb + p].
 * C is m×n row-major and overwritten.
 */
export function sgemmRowsT(m: i32, n: i32, k: i32, a: usize, rsa: i32, b: usize, csb: i32, c: usize): void {
  memory.fill(c, 0, (<usize>(m * n)) << 2);
  const ldc = (<usize>n) << 2;
  const lda = (<usize>rsa) << 2;
  const ldb = (<usize>csb) << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const a0 = a + ((<usize>p0) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const q0 = b + <usize>j * ldb + ((<usize>p0) << 2);
      const q1 = q0 + ldb;
      const q2 = q1 + ldb;
      const q3 = q2 + ldb;
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = (<usize>p) << 2;
        const v0 = v128.load(q0 + o);
        const v1 = v128.load(q1 + o);
        const v2 = v128.load(q2 + o);
        const v3 = v128.load(q3 + o);
        const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
        // bq: the 4 columns at p + q
        const b0 = i32x4.shuffle(t0, t2, 0, 1, 4, 5);
        const b1 = i32x4.shuffle(t0, t2, 2, 3, 6, 7);
        const b2 = i32x4.shuffle(t1, t3, 0, 1, 4, 5);
        const b3 = i32x4.shuffle(t1, t3, 2, 3, 6, 7);
        let ar = a0 + o;
        s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(ar), b0));
        s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(ar, 4), b1));
        s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(ar, 8), b2));
        s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(ar, 12), b3));
        if (m > 1) {
          ar += lda;
          s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(ar), b0));
          s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(ar, 4), b1));
          s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(ar, 8), b2));
          s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(ar, 12), b3));
        }
        if (m > 2) {
          ar += lda;
          s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(ar), b0));
          s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(ar, 4), b1));
          s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(ar, 8), b2));
          s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(ar, 12), b3));
        }
        if (m > 3) {
          ar += lda;
          s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(ar), b0));
          s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(ar, 4), b1));
          s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(ar, 8), b2));
          s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(ar, 12), b3));
        }
      }
      for (; p < kc; p++) {
        const o = (<usize>p) << 2;
        let bv = f32x4.splat(load<f32>(q0 + o));
        bv = f32x4.replace_lane(bv, 1, load<f32>(q1 + o));
        bv = f32x4.replace_lane(bv, 2, load<f32>(q2 + o));
        bv = f32x4.replace_lane(bv, 3, load<f32>(q3 + o));
        const ar = a0 + o;
        s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(ar), bv));
        if (m > 1) s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(ar + lda), bv));
        if (m > 2) s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(ar + 2 * lda), bv));
        if (m > 3) s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(ar + 3 * lda), bv));
      }
      const c0 = c + ((<usize>j) << 2);
      v128.store(c0, f32x4.add(v128.load(c0), s0));
      if (m > 1) v128.store(c0 + ldc, f32x4.add(v128.load(c0 + ldc), s1));
      if (m > 2) v128.store(c0 + 2 * ldc, f32x4.add(v128.load(c0 + 2 * ldc), s2));
      if (m > 3) v128.store(c0 + 3 * ldc, f32x4.add(v128.load(c0 + 3 * ldc), s3));
    }
    for (; j < n; j++) {
      const q = b + <usize>j * ldb + ((<usize>p0) << 2);
      for (let i = 0; i < m; i++) {
        const ar = a0 + <usize>i * lda;
        let s: f32 = 0;
        for (let p = 0; p < kc; p++)
          s = s + load<f32>(ar + ((<usize>p) << 2)) * load<f32>(q + ((<usize>p) << 2));
        const cr = c + <usize>i * ldc + ((<usize>j) << 2);
        store<f32>(cr, load<f32>(cr) + s);
      }
    }
  }
}

/** The float64 twin of sgemmRowsT (columns in pairs, 2×2 transposes). */
export function dgemmRowsT(m: i32, n: i32, k: i32, a: usize, rsa: i32, b: usize, csb: i32, c: usize): void {
  memory.fill(c, 0, (<usize>(m * n)) << 3);
  const ldc = (<usize>n) << 3;
  const lda = (<usize>rsa) << 3;
  const ldb = (<usize>csb) << 3;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const a0 = a + ((<usize>p0) << 3);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const q0 = b + <usize>j * ldb + ((<usize>p0) << 3);
      const q1 = q0 + ldb;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      let p = 0;
      for (; p + 2 <= kc; p += 2) {
        const o = (<usize>p) << 3;
        const v0 = v128.load(q0 + o);
        const v1 = v128.load(q1 + o);
        const b0 = i64x2.shuffle(v0, v1, 0, 2);
        const b1 = i64x2.shuffle(v0, v1, 1, 3);
        let ar = a0 + o;
        s0 = f64x2.add(s0, f64x2.mul(v128.load64_splat(ar), b0));
        s0 = f64x2.add(s0, f64x2.mul(v128.load64_splat(ar, 8), b1));
        if (m > 1) {
          ar += lda;
          s1 = f64x2.add(s1, f64x2.mul(v128.load64_splat(ar), b0));
          s1 = f64x2.add(s1, f64x2.mul(v128.load64_splat(ar, 8), b1));
        }
        if (m > 2) {
          ar += lda;
          s2 = f64x2.add(s2, f64x2.mul(v128.load64_splat(ar), b0));
          s2 = f64x2.add(s2, f64x2.mul(v128.load64_splat(ar, 8), b1));
        }
        if (m > 3) {
          ar += lda;
          s3 = f64x2.add(s3, f64x2.mul(v128.load64_splat(ar), b0));
          s3 = f64x2.add(s3, f64x2.mul(v128.load64_splat(ar, 8), b1));
        }
      }
      for (; p < kc; p++) {
        const o = (<usize>p) << 3;
        const bv = f64x2.replace_lane(f64x2.splat(load<f64>(q0 + o)), 1, load<f64>(q1 + o));
        const ar = a0 + o;
        s0 = f64x2.add(s0, f64x2.mul(v128.load64_splat(ar), bv));
        if (m > 1) s1 = f64x2.add(s1, f64x2.mul(v128.load64_splat(ar + lda), bv));
        if (m > 2) s2 = f64x2.add(s2, f64x2.mul(v128.load64_splat(ar + 2 * lda), bv));
        if (m > 3) s3 = f64x2.add(s3, f64x2.mul(v128.load64_splat(ar + 3 * lda), bv));
      }
      const c0 = c + ((<usize>j) << 3);
      v128.store(c0, f64x2.add(v128.load(c0), s0));
      if (m > 1) v128.store(c0 + ldc, f64x2.add(v128.load(c0 + ldc), s1));
      if (m > 2) v128.store(c0 + 2 * ldc, f64x2.add(v128.load(c0 + 2 * ldc), s2));
      if (m > 3) v128.store(c0 + 3 * ldc, f64x2.add(v128.load(c0 + 3 * ldc), s3));
    }
    for (; j < n; j++) {
      const q = b + <usize>j * ldb + ((<usize>p0) << 3);
      for (let i = 0; i < m; i++) {
        const ar = a0 + <usize>i * lda;
        let s: f64 = 0;
        for (let p = 0; p < kc; p++)
          s = s + load<f64>(ar + ((<usize>p) << 3)) * load<f64>(q + ((<usize>p) << 3));
        const cr = c + <usize>i * ldc + ((<usize>j) << 3);
        store<f64>(cr, load<f64>(cr) + s);
      }
    }
  }
}
