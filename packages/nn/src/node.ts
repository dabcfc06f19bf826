// Node-only file I/O; the main entry stays browser-safe.
export { loadSafetensorsInto } from './io/loadInto.js';
export { loadSafetensors, saveSafetensors } from './io/node.js';
