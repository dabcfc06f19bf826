// Bundle-size budget: each publishable package's main entry bundled for the browser with esbuild
// (minified ESM, the workspace packages through their '@tenzo/source' entries so no build is
// needed, dependencies bundled in, peer dependencies left external) and gzipped (level 9) —
// roughly what a browser app pays for `import * as x from '@tenzo/x'` with no tree shaking.
// budget.json holds one limit per package; the tooling test and cli.js compare against it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Headroom `--update` leaves above the measured size: 10%, rounded up to a multiple of 512 bytes. */
export const HEADROOM = 0.1;

/**
 * The publishable packages under `<root>/packages` (those with a '.' export and not private).
 * @param {string} root the repository root
 * @returns {{ name: string; dir: string; entry: string; peers: string[]; deps: string[] }[]}
 */
export function publishablePackages(root) {
  const out = [];
  for (const folder of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', folder);
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const main = pkg.exports?.['.'];
    const source = typeof main === 'object' && main !== null ? main['@tenzo/source'] : undefined;
    if (pkg.private || typeof source !== 'string') continue;
    out.push({
      name: pkg.name,
      dir,
      entry: join(dir, source),
      peers: Object.keys(pkg.peerDependencies ?? {}),
      deps: Object.keys(pkg.dependencies ?? {}),
    });
  }
  return out;
}

/**
 * @param {string} entry
 * @param {string} dir
 * @param {string[]} external
 * @returns {Promise<Uint8Array>} the minified bundle
 */
async function bundle(entry, dir, external) {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@tenzo/source'],
    external,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

/**
 * Measures every publishable package: `minified` and `gzip` with its dependencies bundled in,
 * `ownGzip` with every dependency external (the package's own code).
 * @param {string} root the repository root
 * @returns {Promise<{ name: string; minified: number; gzip: number; ownGzip: number }[]>}
 */
export async function measureBundles(root) {
  const out = [];
  for (const p of publishablePackages(root)) {
    const all = await bundle(p.entry, p.dir, p.peers);
    const own = await bundle(p.entry, p.dir, [...p.peers, ...p.deps]);
    out.push({
      name: p.name,
      minified: all.length,
      gzip: gzipSync(all, { level: 9 }).length,
      ownGzip: gzipSync(own, { level: 9 }).length,
    });
  }
  return out;
}

/**
 * Compares sizes with the budget (bytes of gzip per package name).
 * @param {{ name: string; minified: number; gzip: number; ownGzip: number }[]} sizes
 * @param {Record<string, number>} budget
 * @returns {{ name: string; minified: number; gzip: number; ownGzip: number; budget: number | null; ok: boolean }[]}
 */
export function checkBudgets(sizes, budget) {
  return sizes.map((s) => {
    const limit = typeof budget[s.name] === 'number' ? budget[s.name] : null;
    return { ...s, budget: limit, ok: limit !== null && s.gzip <= limit };
  });
}

/**
 * A budget with HEADROOM above each measured size.
 * @param {{ name: string; gzip: number }[]} sizes
 * @returns {Record<string, number>}
 */
export function budgetFor(sizes) {
  return Object.fromEntries(sizes.map((s) => [s.name, Math.ceil((s.gzip * (1 + HEADROOM)) / 512) * 512]));
}

/** @param {number} bytes */
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * The plain-text table the test and cli.js print.
 * @param {ReturnType<typeof checkBudgets>} rows
 * @returns {string}
 */
export function formatTable(rows) {
  const header = ['package', 'minified', 'gzip', 'budget', 'used', 'own code gzip', ''];
  const lines = rows.map((r) => [
    r.name,
    kib(r.minified),
    kib(r.gzip),
    r.budget === null ? 'none' : kib(r.budget),
    r.budget === null ? '-' : `${((100 * r.gzip) / r.budget).toFixed(0)}%`,
    kib(r.ownGzip),
    r.ok ? 'ok' : r.budget === null ? 'NO BUDGET' : 'OVER BUDGET',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines]
    .map((l) =>
      l
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
