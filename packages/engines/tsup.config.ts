import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

// engineWorker is the piscina worker of `threadEngine`: it must sit beside the bundle that starts
// it (dist/engineWorker.js, found through import.meta.url; `shims` provides that in CJS).
export default defineConfig(
  libraryConfig({
    entry: { index: 'src/index.ts', node: 'src/node.ts', engineWorker: 'src/threads/engineWorker.js' },
    shims: true,
  }),
);
