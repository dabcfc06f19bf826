import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The API reference: `pnpm docs` (typedoc over packages/*, see typedoc.json) writes .reports/api
// with warnings as errors, so an export without a doc comment, a broken {@link} or a type that
// a public signature uses but no entry point exports fails this test.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, '.reports', 'api');

describe('API reference (typedoc)', () => {
  it('builds with no warning: every export documented, every link resolved', () => {
    const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as {
      out: string;
      treatWarningsAsErrors: boolean;
      validation: { notDocumented: boolean };
    };
    expect(config).toMatchObject({ out: '.reports/api', treatWarningsAsErrors: true });
    expect(config.validation.notDocumented).toBe(true);
    rmSync(out, { recursive: true, force: true });
    const bin = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const run = spawnSync(process.execPath, [bin], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      timeout: 540_000,
    });
    const log = `${run.stdout}${run.stderr}`;
    const problems = log.split('\n').filter((l) => /\[(warning|error)\]/.test(l));
    expect(problems, log.slice(-4000)).toEqual([]);
    expect(run.status, log.slice(-4000)).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    // one module page per package entry, the subpath entries included
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const name of ['@tenzo/core', '@tenzo/tensor', '@tenzo/cli']) expect(index).toContain(name);
  }, 600_000);
});
