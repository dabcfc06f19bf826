import { defineConfig } from 'tsup';

// Apps bundle nothing from the workspace: packages resolve from their own dist at run time.
// `server` is the in-process server other apps' benchmarks start (`@tenzo/device-app/server`).
export default defineConfig({
  entry: { cli: 'src/cli.ts', server: 'src/server/index.ts' },
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
});
