import { OutOfRangeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { ProgressBar, type ProgressWriter } from './progressBar.js';
import { renderProgress } from './render.js';

function fakeWriter(isTTY: boolean): ProgressWriter & { out: string[] } {
  const out: string[] = [];
  return { isTTY, columns: 200, out, write: (t) => void out.push(t) };
}

describe('renderProgress', () => {
  it('shows label, bar, percentage, count, rate, ETA and fields', () => {
    const line = renderProgress(
      { label: 'train', current: 250, total: 1000, elapsed: 5, fields: { loss: 0.23104, acc: '97.1%' } },
      { mode: 'tty', barWidth: 8 },
    );
    expect(line).toBe('train │██      │  25% 250/1000 50 it/s ETA 0:15 loss=0.231 acc=97.1%');
  });
  it('plain mode has no bar; finished work shows the total time; unknown totals show elapsed', () => {
    expect(renderProgress({ label: 'eval', current: 10, total: 10, elapsed: 2 }, { mode: 'plain' })).toBe(
      'eval 100% 10/10 5 it/s in 0:02',
    );
    expect(renderProgress({ label: 'scan', current: 7, elapsed: 70, unit: 'q' }, { mode: 'plain' })).toBe(
      'scan 7 0.1 q/s elapsed 1:10',
    );
  });
  it("resumed work fills the bar but not the rate: the ETA is this run's own", () => {
    // 60 of 100 done, 50 of them before a resume; 10 in the 5 s since: 2 it/s, 40 left → 0:20
    expect(
      renderProgress({ label: 'r', current: 60, total: 100, elapsed: 5, resumed: 50 }, { mode: 'plain' }),
    ).toBe('r  60% 60/100 2 it/s ETA 0:20');
    expect(() =>
      renderProgress({ label: 'r', current: 6, total: 10, elapsed: 1, resumed: 7 }, { mode: 'plain' }),
    ).toThrow(/renderProgress: resumed: expected .*<= 6, got 7/);
  });
  it('truncates to the terminal width', () => {
    const line = renderProgress(
      { label: 'x'.repeat(50), current: 1, total: 2, elapsed: 1 },
      { mode: 'tty', columns: 20 },
    );
    expect(line).toHaveLength(20);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('ProgressBar', () => {
  it('redraws in place on a TTY, throttled, and ends the line on done()', () => {
    let t = 0;
    const w = fakeWriter(true);
    const bar = new ProgressBar({ label: 'e1', total: 4, writer: w, now: () => t, redrawEveryMs: 100 });
    t = 1000;
    bar.tick(1, { loss: 1.5 });
    t = 1050; // within the throttle window: no redraw
    bar.tick();
    t = 2000;
    bar.tick(2, { loss: 0.5 });
    bar.done();
    expect(w.out).toHaveLength(4);
    expect(w.out[0]!.startsWith('\re1 ')).toBe(true);
    expect(w.out[0]!.endsWith('loss=1.5\u001b[K')).toBe(true);
    expect(w.out[0]).toContain(' 1/4 ');
    expect(w.out[1]).toMatch(/4\/4 2 it\/s in 0:02 loss=0\.5/);
    expect(w.out[3]).toBe('\n');
  });
  it('prints plain lines at most every logEverySeconds, plus the final one', () => {
    let t = 0;
    const w = fakeWriter(false);
    const bar = new ProgressBar({ label: 'p', total: 100, writer: w, now: () => t, logEverySeconds: 10 });
    for (let i = 0; i < 100; i++) {
      t += 250; // 25 s in total
      bar.tick();
    }
    bar.done();
    bar.done(); // idempotent
    expect(w.out).toEqual([
      'p  40% 40/100 4 it/s ETA 0:15\n',
      'p  80% 80/100 4 it/s ETA 0:05\n',
      'p 100% 100/100 4 it/s in 0:25\n',
    ]);
  });
  it('resume(n) advances without counting towards the rate', () => {
    let t = 0;
    const w = fakeWriter(false);
    const bar = new ProgressBar({ label: 'v', total: 600, writer: w, now: () => t, logEverySeconds: 10 });
    bar.resume(50);
    for (let i = 0; i < 5; i++) {
      t += 2500; // 0.4 steps/s
      bar.tick();
    }
    bar.done();
    // 0.4 it/s, not (50 + 4) / 10 s = 5.4: 546 left → 22:45; then 545 left → 22:43 (rounded)
    expect(w.out).toEqual(['v   9% 54/600 0.4 it/s ETA 22:45\n', 'v   9% 55/600 0.4 it/s ETA 22:43\n']);
    expect(() => bar.resume(-1)).toThrow(/ProgressBar.resume: n: expected .*>= 0, got -1/);
  });
  it('rejects a negative total with a message naming it', () => {
    expect(() => new ProgressBar({ total: -1, writer: fakeWriter(false) })).toThrow(OutOfRangeError);
    expect(() => new ProgressBar({ total: -1, writer: fakeWriter(false) })).toThrow(
      /total: expected an integer >= 0, got -1/,
    );
  });
});
