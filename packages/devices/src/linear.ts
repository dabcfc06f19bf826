import { fromTypedArray, matmul } from '@tenzo/tensor';

/**
 * Dense helpers shared by the matrix-like simulators (row-major, float64).
 */

/** Below this many multiply-adds the plain loop beats dispatching to the tensor backend. */
export const SMALL_PRODUCT = 8192;

/**
 * out (B×dOut) = X (B×dIn) · Aᵀ, A: dOut×dIn — the batched y_b = A x_b. Large products go to
 * @tenzo/tensor's active backend (the WebAssembly SIMD GEMM by default, ~5× a plain loop): the
 * ZO estimates of a hybrid layer spend most of their time here.
 */
export function batchMatvec(
  X: Float64Array,
  batch: number,
  A: Float64Array,
  dOut: number,
  dIn: number,
  out: Float64Array,
): void {
  if (batch * dOut * dIn >= SMALL_PRODUCT) {
    const y = matmul(
      fromTypedArray(X.subarray(0, batch * dIn), [batch, dIn]),
      fromTypedArray(A, [dOut, dIn]),
      {
        transposeB: true,
      },
    );
    out.set(y.data);
    return;
  }
  for (let b = 0; b < batch; b++) {
    const xo = b * dIn;
    const yo = b * dOut;
    for (let i = 0; i < dOut; i++) {
      const ao = i * dIn;
      let s = 0;
      for (let j = 0; j < dIn; j++) s += A[ao + j]! * X[xo + j]!;
      out[yo + i] = s;
    }
  }
}

/** G (dOut×dIn) = Ȳᵀ X = Σ_b ȳ_b x_bᵀ: the gradient of Σ_b ⟨A x_b, ȳ_b⟩ with respect to A. */
export function outerSum(
  X: Float64Array,
  Ybar: Float64Array,
  batch: number,
  dOut: number,
  dIn: number,
): Float64Array {
  const G = new Float64Array(dOut * dIn);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < dOut; i++) {
      const y = Ybar[b * dOut + i]!;
      if (y === 0) continue;
      const go = i * dIn;
      const xo = b * dIn;
      for (let j = 0; j < dIn; j++) G[go + j]! += y * X[xo + j]!;
    }
  }
  return G;
}
