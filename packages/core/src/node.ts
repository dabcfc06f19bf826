// Node-only helpers (filesystem). Kept off the main entry so browsers never load node:fs.
export { writeFileAtomic, writeJsonAtomic } from './atomic.js';
export { type RemoveStaleTempsOptions, removeStaleTemps, STALE_TEMP_AGE_MS } from './tempFiles.js';
