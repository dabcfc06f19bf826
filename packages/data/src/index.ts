export { type AffineParams, affine } from './augment/affine.js';
export { type AugmentOptions, augmentBatch } from './augment/augmentBatch.js';
export { translate } from './augment/translate.js';
export { type Batch, type BatchOptions, batchCount, batches } from './batches.js';
export { splitDocuments, type TextCorpus } from './corpora/textCorpus.js';
export { type Dataset, featureCount, type ImageDataset, type Labels, subset } from './dataset.js';
export { decodeMnistDigits, MNIST_CLASSES, MNIST_HEIGHT, MNIST_WIDTH } from './mnist/decode.js';
export {
  fitNormalization,
  type NormalizationOptions,
  type NormalizationStats,
  normalize,
} from './normalize.js';
export { type Split, type SplitOptions, trainSplit } from './split.js';
export { BpeTokenizer } from './text/bpe.js';
export { ByteTokenizer } from './text/byteTokenizer.js';
export { CharTokenizer } from './text/charTokenizer.js';
export type { Tokenizer } from './text/tokenizer.js';
export { randomWindows } from './text/windows.js';
