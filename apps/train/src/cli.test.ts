import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from './testing/bundleCli.js';
import type { CliProcess } from './testing/killResume.js';

// The CLI as a user meets it: --version, and bad flags or output paths refused before any work,
// in one line on stderr.

let cli: CliProcess;
const dir = mkdtempSync(join(tmpdir(), 'tenzo-cli-'));
beforeAll(async () => {
  cli = await bundleCli();
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (cli) rmSync(cli.script, { force: true });
});

function run(...argv: string[]) {
  const r = spawnSync(process.execPath, [cli.script, ...argv], {
    env: cli.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tenzo-train', () => {
  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(run('--version')).toMatchObject({ status: 0, stdout: `tenzo-train ${version}\n` });
  });

  it('refuses an existing file as --out before training, in one line', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const r = run('mnist', '--epochs', '1', '--out', file);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `tenzo-train: --out: expected a folder, got the existing file ${file}`,
    ]);
  });

  it('refuses --seed 1e3 and a folder as --json, in one line each', () => {
    const seed = run('mnist', '--seed', '1e3');
    expect(seed.status).toBe(2);
    expect(seed.stderr.trim().split('\n')).toEqual(['tenzo-train: --seed: expected an integer, got "1e3"']);
    const json = run('lm', '--steps', '1', '--out', join(dir, 'o'), '--json', dir);
    expect(json.status).toBe(2);
    expect(json.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses --width beside a conv front (a conflict, not ignored), in one line, before any work', () => {
    const message =
      "tenzo-train: --width: conflicts with --front conv (the conv front's features set the device width); drop --width 64 or use --front dense";
    for (const argv of [
      ['mnist', '--front', 'conv', '--width', '64', '--device', 'slm'],
      // hybrid's front is conv by default
      ['hybrid', '--width', '64', '--out', join(dir, 'h')],
      ['sweep', '--front', 'conv', '--width', '64', '--out', join(dir, 's')],
    ]) {
      const r = run(...argv);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toEqual([message]);
    }
  });
});
