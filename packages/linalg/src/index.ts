export { cholesky } from './cholesky.js';
export { conditionEstimate } from './conditionEstimate.js';
export { det, slogdet } from './det.js';
export { type EighResult, eigh } from './eigh.js';
export { type LstsqOptions, type LstsqResult, lstsq } from './lstsq.js';
export { type LuResult, lu } from './lu.js';
export { matmul, matmulNT, matmulTN } from './matmul.js';
export {
  checkMatrix,
  clone,
  diag,
  eye,
  fromRows,
  type Matrix,
  matrix,
  sliceCols,
  sliceRows,
  sub,
  toRows,
  transpose,
  type VectorLike,
  zeros,
} from './matrix.js';
export { type NormOrder, norm } from './norm.js';
export { pinv } from './pinv.js';
export { type QrMode, type QrOptions, type QrPivotedResult, type QrResult, qr } from './qr.js';
export {
  type RandomizedSvdOptions,
  type RangeFinderOptions,
  randomizedRangeFinder,
  randomizedSvd,
} from './randomized.js';
export { solve } from './solve.js';
export { orth, rank } from './subspace.js';
export { type SvdOptions, type SvdResult, svd, svdValues } from './svd.js';
export { type SvdTruncatedOptions, svdTruncated } from './svdTruncated.js';
export { type TriangularSolveOptions, triangularSolve } from './triangularSolve.js';
