import { defineConfig } from 'tsup';

// Apps bundle nothing from the workspace: packages resolve from their own dist at run time.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
});
