import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

// `./testing` is a second entry; splitting (for CJS too) makes both entries share one chunk with
// the kernel registry, so kernels registered through one are seen by the other.
export default defineConfig(
  libraryConfig({ entry: ['src/index.ts', 'src/testing/index.ts'], splitting: true }),
);
