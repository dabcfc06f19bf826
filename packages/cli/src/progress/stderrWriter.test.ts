import { describe, expect, it } from 'vitest';
import { stderrWriter } from './stderrWriter.js';

describe('stderrWriter', () => {
  const stream = (columns: number | undefined) =>
    ({ isTTY: true, columns, write: () => true }) as unknown as NodeJS.WriteStream;
  it('passes a terminal width on, and none when the terminal reports 0 columns', () => {
    expect(stderrWriter(stream(80), {}).columns).toBe(80);
    expect(stderrWriter(stream(0), {}).columns).toBeUndefined();
    expect(stderrWriter(stream(undefined), {}).columns).toBeUndefined();
  });
  it('is not interactive in CI or on a dumb terminal', () => {
    expect(stderrWriter(stream(80), { CI: 'true' }).isTTY).toBe(false);
    expect(stderrWriter(stream(80), { TERM: 'dumb' }).isTTY).toBe(false);
    expect(stderrWriter(stream(80), {}).isTTY).toBe(true);
  });
});
