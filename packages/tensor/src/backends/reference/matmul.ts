import { formatShape, ShapeError } from '@tenzo/core';
import type { TypedArray } from '../../dtype.js';
import { broadcastShapes, sizeOf } from '../../shape.js';
import type { TensorData } from '../../tensorData.js';
import { out } from './util.js';

/**
 * C[m×n] += op(A) op(B) for one batch element, with op = identity or transpose. The loops are
 * ordered so that the innermost one walks contiguous memory (i-k-j for NN): the reference is
 * simple, not tiled — the fast backend is where tiling lives.
 */
export function gemm(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  c: TypedArray,
  cOff: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  if (!transB) {
    // rows of B are contiguous: C[i,:] += A[i,p] * B[p,:]
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * n;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[aOff + p * m + i]! : a[aOff + i * k + p]!;
        if (av === 0) continue;
        const bp = bOff + p * n;
        for (let j = 0; j < n; j++) c[ci + j]! += av * b[bp + j]!;
      }
    }
  } else {
    // B stored n×k: C[i,j] = Σ_p A[i,p] B[j,p] — dot products of contiguous rows
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * n;
      for (let j = 0; j < n; j++) {
        const bj = bOff + j * k;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[aOff + p * m + i]! * b[bj + p]!;
        else {
          const ai = aOff + i * k;
          for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        }
        c[ci + j]! += s;
      }
    }
  }
}

/** Output shape and batch bookkeeping shared by every matmul kernel. */
export function matmulPlan(a: TensorData, b: TensorData, transA: boolean, transB: boolean) {
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new ShapeError(
      `matmul: expected inputs with at least 2 dimensions, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[transA ? ra - 1 : ra - 2]!;
  const k = a.shape[transA ? ra - 2 : ra - 1]!;
  const k2 = b.shape[transB ? rb - 1 : rb - 2]!;
  const n = b.shape[transB ? rb - 2 : rb - 1]!;
  if (k !== k2) {
    throw new ShapeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} × ${formatShape(b.shape)}${transB ? 'ᵀ' : ''} (${k} vs ${k2})`,
    );
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul (batch dimensions)', batchA, batchB);
  return { m, n, k, batchA, batchB, batch, outShape: [...batch, m, n] };
}

/** Index of each output batch element in A's and B's batch (broadcasting size-1 batch dims). */
export function batchOffsets(batch: readonly number[], from: readonly number[]): Int32Array {
  const total = sizeOf(batch);
  const res = new Int32Array(total);
  const nd = batch.length;
  const off = nd - from.length;
  for (let t = 0; t < total; t++) {
    let rem = t;
    let idx = 0;
    let stride = 1;
    for (let d = nd - 1; d >= 0; d--) {
      const coord = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
      if (d >= off) {
        const size = from[d - off]!;
        idx += (size === 1 ? 0 : coord) * stride;
        stride *= size;
      }
    }
    res[t] = idx;
  }
  return res;
}

export function matmulKernel(a: TensorData, b: TensorData, transA: boolean, transB: boolean): TensorData {
  const { m, n, k, batchA, batchB, batch, outShape } = matmulPlan(a, b, transA, transB);
  const res = out(a.dtype, outShape);
  const offA = batchOffsets(batch, batchA);
  const offB = batchOffsets(batch, batchB);
  for (let t = 0; t < offA.length; t++) {
    gemm(a.data, offA[t]! * m * k, b.data, offB[t]! * k * n, res.data, t * m * n, m, n, k, transA, transB);
  }
  return res;
}
