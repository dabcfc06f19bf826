import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** The README's ```ts block after `<!-- example: name -->`. */
function example(name: string): string {
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const marker = `<!-- example: ${name} -->\n\`\`\`ts\n`;
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README.md has no example '${name}'`);
  const body = readme.slice(start + marker.length);
  return body.slice(0, body.indexOf('```'));
}

describe('README example', () => {
  it('trains the hybrid network with the trainer from package imports only, and resumes', async () => {
    const code = example('hybrid');
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(30);
    expect(code).not.toMatch(/from '\.\.?\//);
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-readme-'));
    // the example as written, with its checkpoint in a temporary folder; a file beside this test
    // so the imports resolve as in a project that installed the packages
    const file = join(here, `.readme-example-${process.pid}.ts`);
    writeFileSync(file, code.replace('runs/example', dir.replaceAll('\\', '/')));
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    try {
      await import(/* @vite-ignore */ `${file}?run=1`);
      // a second run finds the finished checkpoint and prints the same history without training
      await import(/* @vite-ignore */ `${file}?run=2`);
    } finally {
      log.mockRestore();
      rmSync(file, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual(lines[0]);
    const losses = String(lines[0])
      .match(/loss (\d+\.\d+)/g)!
      .map((m) => Number(m.slice(5)));
    expect(losses).toHaveLength(2);
    expect(losses[1]!).toBeLessThan(losses[0]!);
    expect(losses[1]!).toBeLessThan(1.0);
  }, 120_000);
});
