import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('embedded WebAssembly', () => {
  it('kernelsWasm.ts is what assembly/index.ts compiles to', () => {
    // exits non-zero (and execFileSync throws) when the committed bytes are stale
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    expect(out).toContain('up to date');
  });
});
