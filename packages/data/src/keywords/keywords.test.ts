import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { type KeywordSynthesizer, resolveKeywordOptions, type SpeechRequest } from './keywordAudio.js';
import {
  type CachedKeywordAudioOptions,
  generateKeywordAudio,
  keywordCachePath,
  loadKeywordDataset,
  writeKeywordCache,
} from './keywordCache.js';
import { keywordFeatures } from './keywordFeatures.js';
import { syntheticKeywords } from './syntheticKeywords.js';

/**
 * A stand-in for a text-to-speech engine: each word is a 0.2 s tone whose pitch depends on the
 * word and the request's pitch, words (SSML sentences) 0.8 s apart. With `merge` the whole
 * utterance is one tone, so it never splits into one segment per word.
 */
function toneSynthesizer(merge = false): KeywordSynthesizer & { calls: SpeechRequest[] } {
  const calls: SpeechRequest[] = [];
  const rate = 11025;
  return {
    id: merge ? 'tones-merged@1' : 'tones@1',
    voices: { accents: ['a', 'b'], train: ['t1', 't2', 't3'], test: ['u1', 'u2'] },
    calls,
    async speak(req) {
      calls.push(req);
      const words = req.ssml ? [...req.text.matchAll(/<s>([^<]*)<\/s>/g)].map((m) => m[1]!) : [req.text];
      const tone = Math.round(0.2 * rate);
      const gap = merge ? 0 : Math.round(0.8 * rate);
      const x = new Float32Array(words.length * (tone + gap) + gap);
      words.forEach((w, k) => {
        const f = 200 + 40 * w.length + 2 * req.pitch;
        for (let j = 0; j < tone; j++)
          x[gap + k * (tone + gap) + j] = 0.5 * Math.sin((2 * Math.PI * f * j) / rate);
      });
      return { samples: x, sampleRate: rate };
    },
  };
}

const tiny = (dir: string | null, synthesizer = toneSynthesizer()): CachedKeywordAudioOptions => ({
  synthesizer,
  seed: 2,
  keywords: ['yes', 'no', 'stop'],
  clipsPerClass: 4,
  testClipsPerClass: 2,
  sampleRate: 8000,
  clipSeconds: 0.5,
  cacheDir: dir,
});
const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('resolveKeywordOptions', () => {
  it("fills in defaults (the synthesizer's voices) and rejects bad settings", () => {
    const r = resolveKeywordOptions({ synthesizer: toneSynthesizer() });
    expect(r.keywords).toHaveLength(10);
    expect(r.trainVariants).toEqual(['t1', 't2', 't3']);
    expect(r.accents).toEqual(['a', 'b']);
    const s = toneSynthesizer();
    expect(() => resolveKeywordOptions({ synthesizer: s, keywords: ['one'] })).toThrow(/at least 2 words/);
    expect(() => resolveKeywordOptions({ synthesizer: s, keywords: ['a', '<b>'] })).toThrow(ArgumentError);
    expect(() => resolveKeywordOptions({ synthesizer: s, testVariants: ['t2'] })).toThrow(/disjoint .* t2/);
    expect(() => resolveKeywordOptions({ synthesizer: s, snrDb: [10, 5] })).toThrow(/snrDb\[1\]/);
  });
});

describe('generateKeywordAudio', () => {
  it('balances classes, keeps the voices of the splits apart and reports each session', async () => {
    const seen: number[] = [];
    const a = await generateKeywordAudio({ ...tiny(null), onSession: (done) => seen.push(done) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect([a.train.n, a.test.n, a.nSamples]).toEqual([12, 6, 4000]);
    for (const split of ['train', 'test'] as const)
      for (let c = 0; c < 3; c++) expect(a[split].labels.filter((y) => y === c).length).toBe(a[split].n / 3);
    expect(new Set(a.train.speaker)).toEqual(new Set([0, 1, 2]));
    expect(a.info).toMatchObject({ fromCache: false, cachePath: null, fallbackSessions: 0, croppedClips: 0 });
  });

  it('caches: the second call reads the same bytes back; the key changes with the synthesizer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-kw-'));
    const first = await generateKeywordAudio(tiny(dir));
    const synth = toneSynthesizer();
    const again = await generateKeywordAudio(tiny(dir, synth));
    expect(synth.calls).toHaveLength(0);
    expect(again.info).toMatchObject({ fromCache: true, cachePath: keywordCachePath(tiny(dir)) });
    expect(again.info.cacheBytes).toBe(readFileSync(keywordCachePath(tiny(dir))).length);
    expect(bytes(again.train.samples).equals(bytes(first.train.samples))).toBe(true);
    expect(Array.from(again.test.speaker)).toEqual(Array.from(first.test.speaker));
    expect(keywordCachePath(tiny(dir, toneSynthesizer(true)))).not.toBe(keywordCachePath(tiny(dir)));
    const fresh = await generateKeywordAudio(tiny(null));
    expect(bytes(fresh.test.samples).equals(bytes(first.test.samples))).toBe(true);
  });

  it('re-speaks word by word when an utterance does not split into one segment per word', async () => {
    const synth = toneSynthesizer(true);
    const a = await generateKeywordAudio({ ...tiny(null, synth), clipsPerClass: 1, testClipsPerClass: 1 });
    expect(a.info.fallbackSessions).toBe(2);
    expect(
      synth.calls
        .filter((c) => !c.ssml)
        .map((c) => c.text)
        .sort(),
    ).toEqual(['no', 'no', 'stop', 'stop', 'yes', 'yes']);
  });

  it('rejects a cache file that is not one, is cut short, or was written for another config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-kw-bad-'));
    const opts = tiny(dir);
    const path = keywordCachePath(opts);
    writeFileSync(path, 'not a cache');
    await expect(generateKeywordAudio(opts)).rejects.toThrow(/expected a 'TZKW' keyword cache/);
    const audio = await generateKeywordAudio(tiny(null));
    const r = resolveKeywordOptions(opts);
    writeKeywordCache(path, audio, r);
    writeFileSync(path, readFileSync(path).subarray(0, 1000));
    await expect(generateKeywordAudio(opts)).rejects.toThrow(/int16 samples after the header/);
    writeKeywordCache(path, audio, { ...r, seed: 9 });
    await expect(generateKeywordAudio(opts)).rejects.toThrow(/does not match the requested config/);
    writeKeywordCache(
      path,
      { ...audio, train: { ...audio.train, labels: audio.train.labels.map(() => 7) } },
      r,
    );
    await expect(generateKeywordAudio(opts)).rejects.toThrow(/labels.train: 12 class indices below 3/);
    const short = Buffer.alloc(12);
    short.write('TZKW', 0, 'latin1');
    short.writeUInt32LE(64, 4);
    writeFileSync(path, short);
    await expect(generateKeywordAudio(opts)).rejects.toThrow(FormatError);
  });
});

describe('keywordFeatures and loadKeywordDataset', () => {
  it('turn clips into [n, frames, features] log-mel or MFCC sequences', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-kw-ds-'));
    const ds = await loadKeywordDataset({ ...tiny(dir), nMels: 20 });
    expect([ds.frames, ds.features]).toEqual([48, 20]); // 25 ms frames every 10 ms in 0.5 s
    expect(ds.train.x.length).toBe(12 * 48 * 20);
    expect(ds.source).toBe(
      'tones keywords: 3 classes, 4+2 clips per class, 3 train / 2 test voices, 8000 Hz, logmel 48×20',
    );
    const m = keywordFeatures(ds.audio, { features: 'mfcc', nMels: 20, nMfcc: 8, deltaOrder: 1 });
    expect(m.features).toBe(16);
    for (const v of m.test.x) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('syntheticKeywords', () => {
  it('is deterministic from the seed and checks its settings', () => {
    const a = syntheticKeywords({ classes: 3, trainPerClass: 4, testPerClass: 2, seed: 1 });
    const b = syntheticKeywords({ classes: 3, trainPerClass: 4, testPerClass: 2, seed: 1 });
    expect([a.train.n, a.test.n, a.frames, a.features]).toEqual([12, 6, 48, 20]);
    expect(bytes(a.train.x).equals(bytes(b.train.x))).toBe(true);
    expect(bytes(syntheticKeywords({ classes: 3, seed: 2 }).test.x).equals(bytes(a.test.x))).toBe(false);
    expect(() => syntheticKeywords({ classes: 1 })).toThrow(/classes: expected an integer >= 2/);
  });
});
