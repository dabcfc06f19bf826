import { defineConfig } from 'vitest/config';

// One vitest run over every workspace project; the JSON report is what `.ci/run` counts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling', 'examples/browser'],
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
  },
});
