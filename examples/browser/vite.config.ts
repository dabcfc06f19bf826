import { defineConfig } from 'vite';

// The workspace packages resolve to their TypeScript sources (the `@tenzo/source` export
// condition), so the page builds without building the packages first; a project that installs
// tenzo from npm needs no config at all. Relative asset URLs let the test serve the same build
// under two paths (with and without a Content-Security-Policy).
export default defineConfig({
  base: './',
  resolve: { conditions: ['@tenzo/source', 'module', 'browser', 'development|production'] },
  build: { target: 'es2022' },
});
