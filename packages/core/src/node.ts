// Node-only helpers (filesystem). Kept off the main entry so browsers never load node:fs.
export { writeFileAtomic, writeJsonAtomic } from './atomic.js';
