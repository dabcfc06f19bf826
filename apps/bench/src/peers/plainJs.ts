/**
 * The plain-JS baseline a user would write: C = A·B with the cache-friendly i-k-j loop order
 * on typed arrays (A m×k, B k×n, row-major).
 */
export function plainMatmul(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  m: number,
  k: number,
  n: number,
) {
  const c = a instanceof Float64Array ? new Float64Array(m * n) : new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += av * b[bp + j]!;
    }
  }
  return c;
}
