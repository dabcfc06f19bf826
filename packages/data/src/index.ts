// The real FFT lives in @tenzo/core (one FFT for the repo); re-exported for existing imports.
export { checkPowerOfTwo, isPowerOfTwo, RealFftPlan, rfft } from '@tenzo/core';
export type { ClipDataset, ClipOptions, ClipSplit } from './audio/clipSet.js';
export { type CmvnOptions, cmvn } from './audio/cmvn.js';
export { dct2, dctMatrix } from './audio/dct.js';
export { deltas } from './audio/deltas.js';
export {
  AudioFeatureExtractor,
  type AudioFeatureOptions,
  FEATURE_KINDS,
  type FeatureKind,
  type LogMelOptions,
  logMelSpectrogram,
  type MfccOptions,
  mfcc,
} from './audio/features.js';
export { type FramingOptions, frameCount, frameSignal } from './audio/frames.js';
export {
  hzToMel,
  MEL_SCALES,
  type MelFilterbankOptions,
  type MelScale,
  melFilterbank,
  melToHz,
} from './audio/mel.js';
export { colouredNoise, NOISE_COLOURS, type NoiseColour } from './audio/noise.js';
export { resample } from './audio/resample.js';
export { type Segment, soundingSegments } from './audio/segment.js';
export { powerSpectrogram, type Spectrogram, type SpectrogramOptions, Stft } from './audio/stft.js';
export { decodeWav, encodePcm16Wav, type WavAudio, type WavEncoding } from './audio/wav.js';
export { hammingWindow, hannWindow, WINDOW_NAMES, type WindowName, windowFunction } from './audio/window.js';
export { type AffineParams, affine } from './augment/affine.js';
export { type AugmentOptions, augmentBatch } from './augment/augmentBatch.js';
export { type AugmentFlagValues, augmenter, augmentFlags } from './augment/augmentFlags.js';
export { type CropFlipOptions, cropFlipBatch } from './augment/cropFlip.js';
export { translate } from './augment/translate.js';
export { type Batch, type BatchOptions, batchCount, batches } from './batches.js';
export { splitDocuments, type TextCorpus } from './corpora/textCorpus.js';
export { type Dataset, featureCount, type ImageDataset, type Labels, subset } from './dataset.js';
export { parseCsv } from './files/csv.js';
export {
  ESPEAK_ACCENTS,
  ESPEAK_TEST_VARIANTS,
  ESPEAK_TRAIN_VARIANTS,
  ESPEAK_VOICES,
} from './keywords/espeakVoices.js';
export {
  COMMANDS,
  DIGITS,
  type KeywordAudio,
  type KeywordAudioOptions,
  type KeywordAudioSplit,
  type KeywordSynthesizer,
  type Range as KeywordRange,
  type ResolvedKeywordOptions,
  resolveKeywordOptions,
  type SpeechRequest,
  type SpokenAudio,
  synthesizeKeywordAudio,
} from './keywords/keywordAudio.js';
export {
  type KeywordDataset,
  type KeywordFeatureOptions,
  type KeywordFeatureSplit,
  keywordFeatureExtractorOptions,
  keywordFeatures,
} from './keywords/keywordFeatures.js';
export {
  type KeywordFeatures,
  type SequenceSplit,
  type SyntheticKeywordOptions,
  syntheticKeywords,
} from './keywords/syntheticKeywords.js';
export { decodeMnistDigits, MNIST_CLASSES, MNIST_HEIGHT, MNIST_WIDTH } from './mnist/decode.js';
export {
  fitNormalization,
  type NormalizationOptions,
  type NormalizationStats,
  normalize,
} from './normalize.js';
export { type Split, type SplitOptions, trainSplit } from './split.js';
export { fitStandardizer } from './standardizer.js';
export { BpeTokenizer } from './text/bpe.js';
export { ByteTokenizer } from './text/byteTokenizer.js';
export { CharTokenizer } from './text/charTokenizer.js';
export {
  GPT2_BYTE_TO_CHAR,
  GPT2_PRETOKENIZE,
  type Gpt2BpeOptions,
  Gpt2BpeTokenizer,
  parseMerges,
} from './text/gpt2Bpe.js';
export type { Tokenizer } from './text/tokenizer.js';
export { TOKENIZER_KINDS, type TokenizerKind, tokenizerFor } from './text/tokenizerFor.js';
export { randomWindows } from './text/windows.js';
