// Node-only file I/O; the main entry stays browser-safe.
export { loadSafetensors, saveSafetensors } from './io/node.js';
