import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

// `./testing` (the public-API fuzz harness for tests; needs the optional peers fast-check and
// vitest) is a third entry.
export default defineConfig(
  libraryConfig({ entry: ['src/index.ts', 'src/node.ts', 'src/testing/index.ts'] }),
);
