export { checkpointFlags, checkpointOptions, runConfig } from './checkpoint/checkpointFlags.js';
export {
  CHECKPOINT_DIGEST_KEY,
  CHECKPOINT_META_KEY,
  fileCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoint/fileCheckpoint.js';
export {
  type ClassifierFilesOptions,
  epochTable,
  type RunFilesOptions,
  writeClassifierFiles,
  writeRunFiles,
} from './reports/runFiles.js';
export { type SweepOutputOptions, sweepTable, writeSweepOutputs } from './reports/sweepOutputs.js';
export { readResultsFile } from './results/readResultsFile.js';
export { type RunGridOptions, runGrid } from './sweep/runGrid.js';
export {
  cellRunDir,
  checkResumable,
  type RunSweepOptions,
  readSweepFile,
  runSweep,
  type SweepCell,
  type SweepFile,
} from './sweep/runSweep.js';
