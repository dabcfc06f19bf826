// Node-only parts (filesystem). Kept off the main entry so splitting, batching and augmentation
// stay usable in browsers.

export {
  NAMED_AUDIO_DATA,
  type NamedAudioData,
  type ResolveAudioDataOptions,
  type ResolvedAudioData,
  resolveAudioData,
} from './audio/audioData.js';
export {
  type LoadSpeechCommandsOptions,
  loadSpeechCommands,
  type SpeechCommandsSplit,
  speechCommandsHashSplit,
} from './audio/speechCommands.js';
export {
  type LoadUrbanSound8KOptions,
  loadUrbanSound8K,
  URBANSOUND8K_CLASSES,
  URBANSOUND8K_FOLDS,
} from './audio/urbanSound8k.js';
export { type CifarFolder, type LoadCifarFolderOptions, loadCifarFolder } from './cifar/cifarFolder.js';
export {
  CIFAR_CHANNELS,
  CIFAR_HEIGHT,
  CIFAR_WIDTH,
  CIFAR10_CLASSES,
  type CifarDataset,
  cifarFiles,
  type LoadCifarOptions,
  loadCifar,
} from './cifar/loadCifar.js';
export { type LoadCorpusOptions, loadBrownCorpus, untagBrown } from './corpora/brown.js';
export {
  type CorpusTokenizer,
  type CorpusTokens,
  type LoadCorpusTokensOptions,
  loadCorpusTokens,
  type ResolveCorpusOptions,
  type ResolvedCorpus,
  resolveCorpus,
} from './corpora/corpusSpec.js';
export { type LoadTextCorpusOptions, loadTextCorpus, type TextSource } from './corpora/loadTextCorpus.js';
export { loadNamedCorpus, NAMED_CORPORA } from './corpora/namedCorpus.js';
export { loadTypeScriptLibCorpus } from './corpora/typescriptLib.js';
export {
  type CachedKeywordAudioOptions,
  generateKeywordAudio,
  KEYWORD_GENERATOR_VERSION,
  type KeywordDatasetOptions,
  keywordCachePath,
  loadKeywordDataset,
  readKeywordCache,
  writeKeywordCache,
} from './keywords/keywordCache.js';
export { type LoadMnistOptions, loadMnist, type MnistDataset } from './mnist/loadMnist.js';
export { type Gpt2BpeFiles, loadGpt2BpeTokenizer } from './text/loadGpt2Bpe.js';
export { type LoadTokenFileOptions, loadTokenFile, TOKEN_DTYPES, type TokenDType } from './text/tokenFile.js';
