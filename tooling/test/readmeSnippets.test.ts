import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Every ```ts block of every package README is typechecked against the packages' sources (the
// registry check runs one example per package from the registry; this covers all the others).
// A block that is not a module of its own — a fragment using names from the text around it —
// is marked `<!-- fragment -->` on the line before it, and counted as skipped.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(
  dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')),
  'bin',
  'tsc',
);
const BLOCK = /(<!--\s*fragment\s*-->\s*\n)?```ts\n([\s\S]*?)\n```/g;

interface Snippet {
  readonly pkg: string;
  readonly index: number;
  readonly line: number;
  readonly code: string;
  readonly fragment: boolean;
}

/** The ```ts blocks of one README with their first line numbers. */
export function snippets(pkg: string, readme: string): Snippet[] {
  const text = readme.replace(/\r\n/g, '\n');
  return [...text.matchAll(BLOCK)].map((m, index) => ({
    pkg,
    index,
    line: text.slice(0, m.index).split('\n').length + (m[1] ? 1 : 0),
    code: m[2]!,
    fragment: m[1] !== undefined,
  }));
}

/** tsconfig paths: every package's entry points mapped to their sources (the `@tenzo/source` condition). */
function sourcePaths(packages: string[]): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const dir of packages) {
    const pj = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    for (const [sub, target] of Object.entries(pj.exports ?? {})) {
      const src = (target as Record<string, unknown>)['@tenzo/source'];
      if (typeof src !== 'string') continue;
      paths[sub === '.' ? pj.name : `${pj.name}/${sub.slice(2)}`] = [join('packages', dir, src)];
    }
  }
  return paths;
}

const packages = readdirSync(join(root, 'packages')).filter((d) =>
  existsSync(join(root, 'packages', d, 'README.md')),
);
const all = packages.flatMap((p) =>
  snippets(p, readFileSync(join(root, 'packages', p, 'README.md'), 'utf8')),
);
const written: string[] = [];
afterAll(() => {
  for (const p of packages)
    rmSync(join(root, 'packages', p, '.readme-snippets'), { recursive: true, force: true });
  rmSync(join(root, '.readme-snippets.tsconfig.json'), { force: true });
});

describe('README snippets', () => {
  it('finds the blocks and their fragment markers', () => {
    const md = 'a\n```ts\nconst x = 1;\n```\n<!-- fragment -->\n```ts\nf(x);\n```\n';
    expect(snippets('p', md)).toEqual([
      { pkg: 'p', index: 0, line: 2, code: 'const x = 1;', fragment: false },
      { pkg: 'p', index: 1, line: 6, code: 'f(x);', fragment: true },
    ]);
  });

  it('every ```ts block of every package README typechecks (strict, against the sources)', () => {
    // each block is a module in its package's folder, so the package's own dependencies resolve
    for (const s of all.filter((x) => !x.fragment)) {
      const dir = join(root, 'packages', s.pkg, '.readme-snippets');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `block${s.index}.mts`);
      writeFileSync(file, `${s.code}\nexport {};\n`);
      written.push(file);
    }
    const config = join(root, '.readme-snippets.tsconfig.json');
    writeFileSync(
      config,
      // a user's plain strict settings, not the packages' stricter own ones
      JSON.stringify({
        compilerOptions: {
          noEmit: true,
          strict: true,
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'ESNext',
          moduleResolution: 'Bundler',
          customConditions: ['@tenzo/source'],
          esModuleInterop: true,
          skipLibCheck: true,
          resolveJsonModule: true,
          baseUrl: '.',
          paths: sourcePaths(packages),
          types: ['node'],
        },
        files: written.map((f) => relative(root, f)),
      }),
    );
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', config], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      out = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    }
    // errors named by README and line, so a rotted snippet is found from the message
    const errors = out
      .split('\n')
      .filter((l) => /\.readme-snippets\/block\d+\.mts\(\d+,\d+\): error/.test(l))
      .map((l) => {
        const m = /packages\/([^/]+)\/\.readme-snippets\/block(\d+)\.mts\((\d+),\d+\): (error .*)/.exec(l)!;
        const s = all.find((x) => x.pkg === m[1] && x.index === Number(m[2]))!;
        return `packages/${m[1]}/README.md:${s.line + Number(m[3])}: ${m[4]}`;
      });
    const fragments = all.filter((x) => x.fragment).length;
    console.log(
      `README snippets: ${all.length - fragments} typechecked, ${fragments} fragments skipped, ${errors.length} errors`,
    );
    expect(errors).toEqual([]);
    // anything else tsc said (a broken config, an error in a package's own source) fails too
    expect(out.split('\n').filter((l) => /error TS/.test(l) && !/\.readme-snippets\//.test(l))).toEqual([]);
    expect(written.length).toBeGreaterThan(30);
  }, 600_000);
});
