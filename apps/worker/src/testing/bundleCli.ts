import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles `tenzo-worker` from the sources (workspace packages through their '@tenzo/source'
 * entries) into one ESM file, so tests run it as separate processes — to kill them — without a
 * prior build. Third-party packages (bullmq, ioredis) stay external, imported from their paths.
 */
export async function bundleCli(): Promise<string> {
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
        // third-party packages stay external, at the path they resolve to from the workspace
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
  return outfile;
}
