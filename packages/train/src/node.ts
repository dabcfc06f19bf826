export {
  CHECKPOINT_META_KEY,
  fileCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoint/fileCheckpoint.js';
