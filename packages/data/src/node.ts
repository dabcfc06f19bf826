// Node-only parts (filesystem). Kept off the main entry so splitting, batching and augmentation
// stay usable in browsers.

export { type LoadCorpusOptions, loadBrownCorpus, untagBrown } from './corpora/brown.js';
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
