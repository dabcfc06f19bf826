import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, FormatError } from '@tenzo/core';
import type { KeywordAudio } from '@tenzo/data';
import { type CachedKeywordAudioOptions, generateKeywordAudio, keywordCachePath } from '@tenzo/data/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { espeakSynthesizer, loadEspeakKeywords } from './espeak.js';

// Tiny configs keep the suite fast: 2 classes × (4 train + 2 test) clips at 8 kHz.
const dir = mkdtempSync(join(tmpdir(), 'tenzo-keywords-'));
const tiny: CachedKeywordAudioOptions = {
  synthesizer: espeakSynthesizer(),
  seed: 3,
  keywords: ['zero', 'seven'],
  clipsPerClass: 4,
  testClipsPerClass: 2,
  sampleRate: 8000,
  trainVariants: ['m1', 'f3', 'Alex'],
  testVariants: ['m3', 'f2'],
  cacheDir: dir,
};
const { synthesizer: _s, ...tinyDataset } = tiny;

const bytes = (a: Int16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

let first: KeywordAudio;
beforeAll(async () => {
  first = await generateKeywordAudio(tiny);
});

describe('generateKeywordAudio with eSpeak NG', () => {
  it('balances classes, keeps train and test voices disjoint and fills fixed-length clips', () => {
    expect(first.info.fromCache).toBe(false);
    expect(first.classNames).toEqual(['zero', 'seven']);
    expect(first.nSamples).toBe(8000);
    expect(first.train.n).toBe(8);
    expect(first.test.n).toBe(4);
    expect(first.train.samples.length).toBe(8 * 8000);
    for (const split of ['train', 'test'] as const) {
      const s = first[split];
      expect(Array.from(s.labels).filter((y) => y === 0).length).toBe(s.n / 2);
      for (const sp of s.speaker) expect(sp).toBeLessThan(first.voices[split].length);
    }
    const trainVoices = new Set(Array.from(first.train.speaker, (i) => first.voices.train[i]));
    const testVoices = new Set(Array.from(first.test.speaker, (i) => first.voices.test[i]));
    expect([...trainVoices].filter((v) => testVoices.has(v))).toEqual([]);
    expect(trainVoices.size).toBe(3); // 4 sessions round-robin over 3 voices
    // every clip carries a word: its loudest 50 ms is well above its quietest (noise floor)
    for (let i = 0; i < first.train.n; i++) {
      const clip = first.train.samples.subarray(i * 8000, (i + 1) * 8000);
      const rms: number[] = [];
      for (let w = 0; w < 8000; w += 400) {
        let sq = 0;
        for (let j = w; j < w + 400; j++) sq += clip[j]! ** 2;
        rms.push(Math.sqrt(sq / 400));
      }
      expect(Math.max(...rms)).toBeGreaterThan(2 * Math.min(...rms));
    }
  });

  it('is deterministic: the same seed gives identical bytes, from the cache or regenerated', async () => {
    const cached = await generateKeywordAudio(tiny);
    expect(cached.info.fromCache).toBe(true);
    expect(cached.info.cachePath).toBe(keywordCachePath(tiny));
    expect(cached.info.cacheBytes).toBe(readFileSync(keywordCachePath(tiny)).length);
    expect(bytes(cached.train.samples).equals(bytes(first.train.samples))).toBe(true);
    const again = await generateKeywordAudio({ ...tiny, cacheDir: null });
    expect(again.info.fromCache).toBe(false);
    expect(bytes(again.train.samples).equals(bytes(first.train.samples))).toBe(true);
    expect(bytes(again.test.samples).equals(bytes(first.test.samples))).toBe(true);
    expect(Array.from(again.train.labels)).toEqual(Array.from(first.train.labels));
    expect(Array.from(again.test.speaker)).toEqual(Array.from(first.test.speaker));
  });

  it('changes with the seed', async () => {
    const small = { ...tiny, clipsPerClass: 1, testClipsPerClass: 1, cacheDir: null };
    const a = await generateKeywordAudio(small);
    const b = await generateKeywordAudio({ ...small, seed: 4 });
    expect(bytes(a.train.samples).equals(bytes(b.train.samples))).toBe(false);
  });

  it('rejects overlapping voice sets and a corrupt cache', async () => {
    await expect(generateKeywordAudio({ ...tiny, testVariants: ['m1'] })).rejects.toThrow(ArgumentError);
    await expect(generateKeywordAudio({ ...tiny, keywords: ['zero'] })).rejects.toThrow(/at least 2 words/);
    const other = { ...tiny, cacheDir: mkdtempSync(join(tmpdir(), 'tenzo-keywords-bad-')) };
    writeFileSync(keywordCachePath(other), 'not a cache');
    await expect(generateKeywordAudio(other)).rejects.toThrow(FormatError);
  });
});

describe('loadEspeakKeywords', () => {
  it('returns log-mel or MFCC sequences [n, frames, features] from the cached clips', async () => {
    const logmel = await loadEspeakKeywords({ ...tinyDataset, progress: false, nMels: 20 });
    expect(logmel.audio.info.fromCache).toBe(true);
    expect(logmel.frames).toBe(98); // 25 ms frames every 10 ms in 1 s
    expect(logmel.features).toBe(20);
    expect(logmel.train.x.length).toBe(8 * 98 * 20);
    expect(logmel.test.x.length).toBe(4 * 98 * 20);
    expect(Array.from(logmel.test.labels)).toEqual(Array.from(first.test.labels));
    expect(logmel.voices).toEqual({ train: ['m1', 'f3', 'Alex'], test: ['m3', 'f2'] });
    for (const v of logmel.train.x) expect(Number.isFinite(v)).toBe(true);
    // per-utterance mean normalisation (default): each clip's channel has mean 0 over its frames
    let mean = 0;
    for (let t = 0; t < 98; t++) mean += logmel.train.x[t * 20 + 5]!;
    expect(Math.abs(mean / 98)).toBeLessThan(1e-4);
    const m = await loadEspeakKeywords({
      ...tinyDataset,
      progress: false,
      features: 'mfcc',
      nMels: 20,
      nMfcc: 10,
      deltaOrder: 1,
    });
    expect(m.features).toBe(20);
    expect(m.train.x.length).toBe(8 * 98 * 20);
    expect(m.source).toMatch(
      /2 classes, 4\+2 clips per class, 3 train \/ 2 test voices, 8000 Hz, mfcc 98×20/,
    );
  });
});
