export { type CustomOpContext, type CustomOpSpec, customOp } from './autograd/customOp.js';
export { isGradEnabled, noGrad, noGradAsync } from './autograd/gradMode.js';
export {
  type GradConfig,
  type GradContext,
  type GradFunc,
  getGradient,
  registerGradient,
} from './autograd/gradRegistry.js';
export type { GradNode } from './autograd/node.js';
export { FAST_BACKEND, isWasmSimdAvailable, setWasmEnabled } from './backends/fast/index.js';
/**
 * The fast backend's WebAssembly kernels (base64), for code that runs the same float64 GEMM on
 * worker threads: @tenzo/devices' sharded queries compile it there, so their output blocks are
 * bit-identical to this thread's products.
 */
export { KERNELS_WASM_BASE64 } from './backends/fast/wasm/kernelsWasm.js';
/** for backends: where each output batch element of a batched matmul reads A's or B's batch */
export { batchOffsets } from './backends/reference/matmul.js';
export {
  arange,
  type CreateOptions,
  eye,
  fromTypedArray,
  full,
  linspace,
  ones,
  rademacher,
  rand,
  randn,
  tensor,
  zeros,
} from './creation.js';
export { allocate, DTYPES, type DType, type TypedArray } from './dtype.js';
export { recordOp, runKernel } from './engine.js';
export { type GradCheckOptions, type GradCheckResult, gradCheck } from './gradCheck.js';
export {
  type Attrs,
  type BackendConfig,
  getBackend,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  listBackends,
  listKernels,
  REFERENCE_BACKEND,
  registerBackend,
  registerKernel,
  removeBackend,
  resolveKernelBackend,
  setBackend,
  unregisterKernel,
  withBackend,
} from './kernelRegistry.js';
export {
  add,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  notEqual,
  pow,
  sub,
  where,
} from './ops/binary.js';
export { cast, gather, type Indices, indexSelect, oneHot } from './ops/indexing.js';
export { type MatmulOptions, matmul } from './ops/matmul.js';
export type { TensorLike } from './ops/operand.js';
export {
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  type ReduceOptions,
  sum,
  variance,
} from './ops/reduce.js';
export {
  broadcastTo,
  concat,
  flatten,
  pad,
  permute,
  reshape,
  slice,
  split,
  squeeze,
  stack,
  transpose,
  unsqueeze,
} from './ops/shape.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export {
  abs,
  clamp,
  cos,
  erf,
  exp,
  gelu,
  log,
  neg,
  reciprocal,
  relu,
  sigmoid,
  sign,
  sin,
  sqrt,
  square,
  tanh,
} from './ops/unary.js';
export { broadcastShapes, type Shape, sizeOf, stridesOf } from './shape.js';
export {
  type SharedTensorState,
  TENSOR_BRAND,
  TENSOR_LAYOUT,
  TENSOR_PACKAGE_VERSION,
} from './sharedState.js';
export { type NestedArray, Tensor } from './tensor.js';
export type { TensorData } from './tensorData.js';
