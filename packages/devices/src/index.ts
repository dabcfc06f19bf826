// The complex FFT lives in @tenzo/core (one FFT for the repo); re-exported for existing imports.
export { fft, fft2 } from '@tenzo/core';
export { fillGaussian, fillSignBits } from './accel/checkedStreams.js';
export { ZO_CHUNKS, type ZoChunk, type ZoExecutor } from './accel/executor.js';
export { inProcess } from './accel/inProcess.js';
export type {
  ElementwiseLaw,
  MeshLaw,
  ProjectedZoAccess,
  ProjectedZoRequest,
  ProjectedZoResult,
  ProjectionHost,
} from './accel/projectedZo.js';
export type { ShardedMatrix } from './accel/shardedQuery.js';
export type { KernelSpec, QueryKernelSpec, ZoKernelSpec } from './accel/zoKernel.js';
export { IdentityDevice, type IdentityDeviceOptions, identityDevice } from './controls/identityDevice.js';
export { LowRankDevice, type LowRankDeviceOptions, lowRankDevice } from './controls/lowRankDevice.js';
export { MatrixDevice, type MatrixDeviceOptions, matrixDevice } from './controls/matrixDevice.js';
export type { DeviceUnits, ExactLinearAccess, ParamBounds, PhysicalDevice } from './device.js';
export { type LedgerBudget, type LedgerSnapshot, QueryLedger } from './ledger.js';
export { classicalBlock, threeMziBlock } from './mesh/blocks.js';
export { fromUnitary } from './mesh/fromUnitary.js';
export { clementsLayout, type MeshLayout, reckLayout } from './mesh/layout.js';
export {
  clementsMesh,
  type MeshExactAccess,
  MziMesh,
  type MziMeshOptions,
  mziMesh,
  reckMesh,
} from './mesh/mziMesh.js';
export { type MeshModel, meshParamSize, meshUnitary } from './mesh/propagate.js';
export { UsvMesh, type UsvMeshOptions, usvMesh } from './mesh/usvMesh.js';
export {
  MonarchDevice,
  type MonarchOptions,
  type MonarchShape,
  monarchDevice,
  monarchShape,
} from './monarch/monarch.js';
export { addDropTransmission, allPassTransmission, allPassTransmissionDerivative } from './mrr/ring.js';
export { MrrWeightBank, type MrrWeightBankOptions, mrrWeightBank } from './mrr/weightBank.js';
export { chainCrosstalk, pixelCrosstalk } from './noise/crosstalk.js';
export { DriftProcess, type DriftState } from './noise/drift.js';
export {
  applyOutputNoise,
  detectorNoise,
  gaussianNoise,
  multiplicativeNoise,
  type OutputNoise,
} from './noise/outputNoise.js';
export { quantizePhase, quantizeUniform } from './noise/quantize.js';
export { type DeviceDescription, parseDescription, sampleInit } from './remote/describe.js';
export { InvalidRowsError, RemoteDeviceError, type RemoteFailure } from './remote/errors.js';
export {
  BINARY_TYPE,
  compactBound,
  DEFAULT_LIMITS,
  type DescribeBody,
  DTYPE_BYTES,
  decodeValues,
  ERROR_STATUS,
  type ErrorBody,
  type ErrorCode,
  encodeValues,
  expandBound,
  HEADERS,
  type HealthBody,
  type InitSegment,
  JSON_TYPE,
  PATHS,
  PROTOCOL_VERSION,
  REQUEST_ID_PATTERN,
  type SetParamsBody,
  WIRE_DTYPES,
  type WireBound,
  type WireDtype,
} from './remote/protocol.js';
export { RemoteDevice, type RemoteDeviceOptions, remoteDevice } from './remote/remoteDevice.js';
export type { Backoff } from './remote/transport.js';
export {
  type InputDac,
  SimulatedDevice,
  type SimulatorOptions,
  type SimulatorSpec,
  type SimulatorState,
  uniformBounds,
} from './simulatedDevice.js';
export { SlmFreeSpace, type SlmFreeSpaceOptions, slmFreeSpace } from './slm/freeSpace.js';
export { SlmPhaseMatrix, type SlmPhaseMatrixOptions, slmPhaseMatrix } from './slm/phaseMatrix.js';
