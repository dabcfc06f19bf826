export { type CPBlock, conditionalLogProbs, cpBlocks, extendBlock } from './decoding/cpBlock.js';
export { type GenerateOptions, type GenerateResult, generate } from './decoding/generate.js';
export { argmax, type SamplingOptions, sampleFrom, samplingDistribution } from './decoding/sampling.js';
export {
  type SpeculativeOptions,
  type SpeculativeResult,
  speculativeGenerate,
} from './decoding/speculative.js';
export { CPHeads, type CPHeadsConfig } from './heads/cpHeads.js';
export { decodingHeads, type HeadsReader } from './heads/decodingHeads.js';
export { type CPDistillResult, cpDistillLoss } from './losses/cpDistillLoss.js';
export {
  type CPLossOptions,
  type CPLossResult,
  cpLoss,
  windowInputs,
  windowTargets,
} from './losses/cpLoss.js';
export { type BalanceForm, loadBalancingLoss, usageEntropy } from './losses/loadBalancing.js';
export { mtpFromSafetensors } from './model/fromSafetensors.js';
export {
  type DistillOptions,
  MtpLM,
  type MtpLMConfig,
  type NextTokenTeacher,
  type WindowLossResult,
} from './model/mtpLM.js';
export { type ChiSquareResult, chiSquareGoodnessOfFit, gammaQ } from './stats/chiSquare.js';
export {
  type EvalResult,
  evaluateMtp,
  type MtpOptimizer,
  mtpOptimizer,
  type TrainMtpOptions,
  type TrainStep,
  trainMtp,
} from './training/trainMtp.js';
