import { checkInt, checkOneOf, checkRng, OutOfRangeError, type Rng } from '@tenzo/core';
import { lstsq, type Matrix, matmul, matmulTN, qr } from '@tenzo/linalg';

/**
 * How ΔAᵀ·W is estimated from forward responses R = Z·ΔAᵀ (M×d_out) on probe rows Z (M×d_in):
 * - 'gaussian' (the paper): Z ~ N(0, 1), ΔAᵀW ≈ (1/M)·Zᵀ·R·W; unbiased since E[ZᵀZ] = M·I,
 *   relative error ≈ sqrt(d_in/M) for a full-rank ΔA.
 * - 'orthogonal': the rows of Z are √d_in times orthonormal vectors — independent Haar-random
 *   orthonormal blocks of up to d_in rows — with the same formula; unbiased, lower variance, and
 *   exact when M is a multiple of d_in (each full block has ZᵀZ = d_in·I).
 * - 'lstsq': Gaussian Z and the least-squares solution ΔAᵀW = Z⁺·R·W; exact (to rounding) but
 *   only defined for M ≥ d_in, where Z has full column rank.
 */
export type TransposeEstimator = 'gaussian' | 'orthogonal' | 'lstsq';

/** Every {@link TransposeEstimator}, in the order reports list them. */
export const TRANSPOSE_ESTIMATORS: readonly TransposeEstimator[] = ['gaussian', 'orthogonal', 'lstsq'];

/** Validates an estimator name and its sample count (`op` names the caller). */
export function checkEstimator(
  op: string,
  estimator: unknown,
  samples: number,
  dIn: number,
): TransposeEstimator {
  const e = checkOneOf(`${op}: options.estimator`, estimator, TRANSPOSE_ESTIMATORS);
  if (e === 'lstsq' && samples < dIn) {
    throw new OutOfRangeError(
      `${op}: estimator 'lstsq' needs options.samples >= d_in = ${dIn} (full column rank probes), got ${samples}`,
    );
  }
  return e;
}

/** Draws M probe rows Z: M×d_in for `estimator` (see TransposeEstimator). */
export function drawProbes(rng: Rng, samples: number, dIn: number, estimator: TransposeEstimator): Matrix {
  checkRng('drawProbes: rng', rng);
  checkInt('drawProbes: samples', samples, { positive: true });
  checkInt('drawProbes: dIn', dIn, { positive: true, max: Math.floor((2 ** 31 - 1) / samples) });
  checkOneOf('drawProbes: estimator', estimator, TRANSPOSE_ESTIMATORS);
  const data = new Float64Array(samples * dIn);
  if (estimator !== 'orthogonal') {
    rng.fillNormal(data);
    return { rows: samples, cols: dIn, data };
  }
  const scale = Math.sqrt(dIn);
  for (let start = 0; start < samples; start += dIn) {
    const k = Math.min(dIn, samples - start);
    const g = { rows: dIn, cols: k, data: rng.fillNormal(new Float64Array(dIn * k)) as Float64Array };
    const { Q, R } = qr(g);
    // sign(diag R) makes Q Haar-distributed (Mezzadri 2007); without it QR's sign convention biases Q
    for (let j = 0; j < k; j++) {
      const s = R.data[j * k + j]! < 0 ? -scale : scale;
      for (let i = 0; i < dIn; i++) data[(start + j) * dIn + i] = s * Q.data[i * k + j]!;
    }
  }
  return { rows: samples, cols: dIn, data };
}

/**
 * Estimates ΔAᵀ·W (d_in×k) from probe rows Z (M×d_in), their responses R = Z·ΔAᵀ (M×d_out)
 * and W: d_out×k. Forms only R·W (M×k), never a d_in×d_out matrix.
 */
export function estimateTransposeProduct(
  z: Matrix,
  r: Matrix,
  w: Matrix,
  estimator: TransposeEstimator,
): Matrix {
  const rw = matmul(r, w);
  if (estimator === 'lstsq') return lstsq(z, rw).x;
  const out = matmulTN(z, rw);
  const inv = 1 / z.rows;
  for (let i = 0; i < out.data.length; i++) out.data[i]! *= inv;
  return out;
}
