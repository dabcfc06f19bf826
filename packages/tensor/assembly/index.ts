// The fast backend's WebAssembly module: GEMM, vectorised float32 math, and the mesh cells that
// @tenzo/devices' projected MZI simulation runs through the same module.
export { meshBlocks64, meshCells64 } from './cells';
export { dgemm, dgemmRowsT, sgemm, sgemmRowsT } from './gemm';
export { rowApply32, rowStats32, vunary32 } from './vmath';
