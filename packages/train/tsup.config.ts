import { libraryConfig } from '@tenzo/tooling/tsup';
import { defineConfig } from 'tsup';

export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/node.ts'] }));
