// Node-only parts (filesystem). Kept off the main entry so splitting, batching and augmentation
// stay usable in browsers.
export { type LoadMnistOptions, loadMnist, type MnistDataset } from './mnist/loadMnist.js';
