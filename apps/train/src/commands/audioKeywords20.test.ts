import { syntheticKeywords } from '@tenzo/data';
import { describe, expect, it, vi } from 'vitest';

// eSpeak NG takes minutes for 200 sessions: record what the command asks it for instead
const asked = vi.hoisted(() => [] as unknown[]);
vi.mock('../audio/espeak.js', () => ({
  loadEspeakKeywords: async (opts: unknown) => {
    asked.push(opts);
    return syntheticKeywords({ seed: 0 });
  },
}));

const { KEYWORDS20, loadAudioData } = await import('./audio.js');

describe('audio --data keywords20 (the harder keyword task)', () => {
  it('asks for the digits and the ten commands, 150 / 50 clips per class, SNR −5…15 dB; keywords is unchanged', async () => {
    const data = await loadAudioData({ data: 'keywords20', dataSeed: 3, features: 'mfcc' });
    expect(data.name).toBe('keywords20');
    expect(asked[0]).toEqual({
      seed: 3,
      features: 'mfcc',
      keywords: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].concat([
        'yes',
        'no',
        'up',
        'down',
        'left',
        'right',
        'on',
        'off',
        'stop',
        'go',
      ]),
      clipsPerClass: 150,
      testClipsPerClass: 50,
      snrDb: [-5, 15],
    });
    expect(KEYWORDS20.keywords).toHaveLength(20);
    const plain = await loadAudioData({ data: 'keywords', dataSeed: 3, features: 'mfcc' });
    expect(plain.name).toBe('keywords');
    expect(asked[1]).toEqual({ seed: 3, features: 'mfcc' });
  });
});
