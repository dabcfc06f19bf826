import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

// shims: the CJS build needs import.meta.url to locate the `mnist` package's files.
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/node.ts'], shims: true }));
