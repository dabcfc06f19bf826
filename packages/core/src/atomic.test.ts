import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';

describe('atomic writes', () => {
  it('replace the target and leave no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-atomic-'));
    const path = join(dir, 'sub', 'report.json');
    writeJsonAtomic(path, { a: 1 });
    writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['report.json']);
  });
});
