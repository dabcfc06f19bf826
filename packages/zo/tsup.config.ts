import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

// objectiveWorker is the piscina worker of `workerObjective`: it must sit beside the bundle that
// starts it (dist/objectiveWorker.js, found through import.meta.url; `shims` provides that in CJS).
export default defineConfig(
  libraryConfig({
    entry: { index: 'src/index.ts', node: 'src/node.ts', objectiveWorker: 'src/pool/objectiveWorker.js' },
    shims: true,
  }),
);
