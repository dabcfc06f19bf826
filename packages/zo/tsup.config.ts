import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

export default defineConfig(libraryConfig({ entry: { index: 'src/index.ts', node: 'src/node.ts' } }));
