import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stderrWriter, writeReport, writeSvg } from './node.js';

describe('@tenzo/cli/node', () => {
  it('writeReport writes converted JSON atomically into a fresh directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-cli-'));
    const path = join(dir, 'runs', 'r.json');
    writeReport(path, { acc: new Float32Array([0.5]), seed: 3 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ acc: [0.5], seed: 3 });
    writeSvg(join(dir, 'runs', 'p.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['p.svg', 'r.json']);
  });
  it('stderrWriter redraws in place only on a real terminal outside CI', () => {
    const out: string[] = [];
    const tty = { write: (t: string) => out.push(t), isTTY: true, columns: 80 };
    expect(stderrWriter(tty, {}).isTTY).toBe(true);
    expect(stderrWriter(tty, { CI: 'true' }).isTTY).toBe(false);
    expect(stderrWriter(tty, { TERM: 'dumb' }).isTTY).toBe(false);
    expect(stderrWriter({ write: () => true }, {}).isTTY).toBe(false);
    const w = stderrWriter(tty, {});
    w.write('x');
    expect(out).toEqual(['x']);
    expect(w.columns).toBe(80);
  });
});
