import { describe, expect, it } from 'vitest';
import { interleavedRows, measureInterleaved, quantile, withRatios } from './harness.js';

describe('measureInterleaved', () => {
  it('warms each implementation up, then rotates the order from round to round', async () => {
    const calls: string[] = [];
    const impl = (name: string) => ({ name, run: () => calls.push(name) });
    const r = await measureInterleaved([impl('a'), impl('b'), impl('c')], {
      warmup: 1,
      minRounds: 3,
      minTimeMs: 0,
    });
    expect(calls.join('')).toBe('abc' + 'abc' + 'bca' + 'cab');
    expect(r.rounds).toBe(3);
    expect(r.timings.map((t) => t.roundsMs.length)).toEqual([3, 3, 3]);
    expect(r.ratios.size).toBe(0);
  });

  it('takes self-timed figures as they are and gives per-round ratios to the baseline', async () => {
    const base = [10, 20, 40, 10];
    let k = 0;
    let j = 0;
    const r = await measureInterleaved(
      [
        { name: 'peer', run: async () => base[k++ % 4]!, selfTimed: true },
        { name: 'half', run: async () => base[j++ % 4]! / 2, selfTimed: true, prepare: () => undefined },
      ],
      { warmup: 0, minRounds: 4, minTimeMs: 0, baseline: 'peer' },
    );
    const peer = r.timings[0]!;
    expect(peer.roundsMs).toEqual(base);
    expect([peer.medianMs, peer.minMs, peer.maxMs]).toEqual([15, 10, 40]);
    expect([peer.p25Ms, peer.p75Ms]).toEqual([10, 25]);
    const half = r.ratios.get('half')!;
    expect([half.median, half.min, half.max, half.baseline]).toEqual([0.5, 0.5, 0.5, 'peer']);
    expect(r.ratios.get('peer')!.perRound).toEqual([1, 1, 1, 1]);

    // rows from the same rounds: withRatios uses the paired per-round ratios and their spread
    const rows = withRatios(interleavedRows(r, { suite: 's', case: 'c' }, { half: 'n' }), 'peer');
    expect(rows[1]).toMatchObject({ impl: 'half', ratio: 0.5, ratioP25: 0.5, ratioP75: 0.5, note: 'n' });
    expect(rows[1]!.samples).toBe(4);
  });

  it('rejects a baseline that is not measured, duplicate names and a self-timed run without a number', async () => {
    const f = { name: 'f', run: () => 1 };
    await expect(measureInterleaved([f], { baseline: 'g' })).rejects.toThrow(/baseline 'g'/);
    await expect(measureInterleaved([f, f])).rejects.toThrow(/unique/);
    await expect(measureInterleaved([{ name: 'p', run: () => 'x', selfTimed: true }])).rejects.toThrow(
      /selfTimed/,
    );
  });

  it('falls back to the ratio of medians for rows not measured in the same rounds', () => {
    const rows = withRatios(
      [
        { suite: 's', case: 'c', impl: 'a', medianMs: 2, minMs: 1, samples: 3 },
        { suite: 's', case: 'c', impl: 'b', medianMs: 4, minMs: 1, samples: 3, roundsMs: [4, 4, 4] },
      ],
      'b',
    );
    expect(rows[0]).toMatchObject({ ratio: 0.5, baseline: 'b' });
    expect(rows[0]!.ratioP25).toBeUndefined();
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
  });
});
