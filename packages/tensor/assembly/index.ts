// The fast backend's WebAssembly module: GEMM and vectorised float32 math.
export { dgemm, dgemmRowsT, sgemm, sgemmRowsT } from './gemm';
export { rowApply32, rowStats32, vunary32 } from './vmath';
