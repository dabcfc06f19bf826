import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Repository-wide rules every workspace package follows.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaces = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(group, name))
    .filter((dir) => existsSync(join(root, dir, 'package.json'))),
);

describe('workspace packages', () => {
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  it('the repository has an MIT LICENSE', () => {
    expect(license).toMatch(/^MIT License\n/);
  });
  it.each(workspaces)(
    '%s: ships the LICENSE (npm packs it whatever `files` says) and declares MIT',
    (dir) => {
      expect(readFileSync(join(root, dir, 'LICENSE'), 'utf8')).toBe(license);
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { license?: string };
      expect(pkg.license).toBe('MIT');
    },
  );
});
