// Shared vitest settings. The `@tenzo/source` export condition makes workspace packages
// resolve to their TypeScript sources, so tests never need a prior build.
// vite's defaultServerConditions, with ours in front.
const conditions = ['@tenzo/source', 'module', 'node', 'development|production'];

/** @param {string} name project name shown in reports */
export function projectConfig(name) {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@tenzo/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
    },
  };
}
