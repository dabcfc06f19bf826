// Shared tsup settings: ESM + CJS with split declaration files (.d.ts / .d.cts),
// tree-shakeable output. Declarations resolve sibling packages through their built
// `dist` (no `@tenzo/source` condition), so a broken dependency build breaks this one too.
/** @param {Partial<import('tsup').Options>} overrides */
export function libraryConfig(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    target: 'node20',
    ...overrides,
  };
}
