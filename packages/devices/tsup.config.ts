import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

// zoWorker is the piscina worker of `workerPool`: it must sit beside the bundle that starts it
// (dist/zoWorker.js, found through import.meta.url; `shims` provides that in the CommonJS build).
export default defineConfig(
  libraryConfig({
    entry: { index: 'src/index.ts', node: 'src/node.ts', zoWorker: 'src/accel/zoWorker.js' },
    shims: true,
  }),
);
