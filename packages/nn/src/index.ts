export { kaimingUniform, lecunUniform, normalParam, xavierUniform, zerosParam } from './init.js';
export {
  MAX_SAFETENSORS_TENSORS,
  parseSafetensors,
  type SafetensorsFile,
  serializeSafetensors,
} from './io/safetensors.js';
export { Flatten, GELU, Identity, ReLU, Sigmoid, Tanh } from './layers/activation.js';
export {
  type AttentionOptions,
  CausalSelfAttention,
  causalMask,
  scaledDotProductAttention,
} from './layers/attention.js';
export { BatchNorm1d, BatchNormBase, type BatchNormOptions } from './layers/batchNorm1d.js';
export { BatchNorm2d } from './layers/batchNorm2d.js';
export { Bias } from './layers/bias.js';
export { CenterRows } from './layers/centerRows.js';
export { Conv1d, type Conv1dOptions, type Conv1dPadding, conv1d } from './layers/conv1d.js';
export { Conv2d, type Conv2dOptions, conv2d, conv2dOutputSize } from './layers/conv2d.js';
export { Dropout } from './layers/dropout.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export { KVCache, LayerKVCache } from './layers/kvCache.js';
export { LayerNorm, layerNorm, type NormOptions } from './layers/layerNorm.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { MaxPool2d, maxPool2d } from './layers/maxPool2d.js';
export { MLP } from './layers/mlp.js';
export { RMSNorm, rmsNorm } from './layers/rmsNorm.js';
export { RotaryEmbedding, type RotaryOptions } from './layers/rotary.js';
export { Sequential } from './layers/sequential.js';
export { StatsPooling, statsPooling } from './layers/statsPooling.js';
export {
  type FeedForward,
  type FeedForwardFactory,
  GPT,
  type Norm,
  TransformerBlock,
  type TransformerConfig,
} from './layers/transformer.js';
export { type CrossEntropyOptions, crossEntropy, type Reduction } from './losses/crossEntropy.js';
export { mseLoss } from './losses/mse.js';
export { type MultilayerPerceptronSpec, multilayerPerceptron } from './models/multilayerPerceptron.js';
export { type NextTokenBatch, nextTokenBatch, nextTokenLoss } from './models/nextToken.js';
export { TdnnClassifier, type TdnnOptions, type TdnnProjection, type TdnnSpec } from './models/tdnn.js';
export { type Layer, Module } from './module.js';
export { Adam, type AdamOptions, AdamW } from './optim/adam.js';
export { clipGradNorm } from './optim/clipGradNorm.js';
export { Optimizer, type OptimizerState } from './optim/optimizer.js';
export { OPTIMIZER_KINDS, type OptimizerKind, optimizerFor } from './optim/optimizerFor.js';
export { constantLR, cosineLR, type LRSchedule, stepLR, withWarmup } from './optim/schedules.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Parameter } from './parameter.js';
export { moduleGradCheck } from './testing/moduleGradCheck.js';
