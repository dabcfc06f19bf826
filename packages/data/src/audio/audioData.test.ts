import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ArgumentError, FormatError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { keywordFeatureExtractorOptions } from '../keywords/keywordFeatures.js';
import { resolveAudioData } from './audioData.js';
import { AudioFeatureExtractor } from './features.js';
import { speechCommandsHashSplit } from './speechCommands.js';
import { decodeWav, encodePcm16Wav } from './wav.js';

const tone = (seconds: number, rate: number, hz: number) =>
  Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, j) => 0.4 * Math.sin((2 * Math.PI * hz * j) / rate),
  );

function put(root: string, rel: string, data: Uint8Array | string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), data);
}

/** A Speech Commands–style folder: yes/ and no/ of 16 kHz clips, one 8 kHz clip, lists. */
function speechFolder(lists = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'audio-data-sc-'));
  ['a', 'b', 'c'].forEach((s, k) => {
    put(dir, `yes/${s}_nohash_0.wav`, encodePcm16Wav(tone(0.5, 16000, 600 + 50 * k), 16000));
    put(dir, `no/${s}_nohash_0.wav`, encodePcm16Wav(tone(0.5, 16000, 200 + 50 * k), 16000));
  });
  put(dir, 'no/d_nohash_0.wav', encodePcm16Wav(tone(0.75, 8000, 300), 8000));
  put(dir, '_background_noise_/n.wav', encodePcm16Wav(tone(1, 16000, 50), 16000));
  if (lists) {
    put(dir, 'validation_list.txt', 'yes/b_nohash_0.wav\n');
    put(dir, 'testing_list.txt', 'yes/c_nohash_0.wav\nno/c_nohash_0.wav\n');
  }
  return dir;
}

/** An UrbanSound8K-like tree: metadata CSV, clips in fold1, fold2 and fold10 at 8 and 16 kHz. */
function urbanFolder(csvExtra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'audio-data-us-'));
  const rows = [
    ['100-0-0-0.wav', 1, 0, 'air_conditioner'],
    ['101-3-0-0.wav', 1, 3, 'dog_bark'],
    ['102-0-0-1.wav', 2, 0, 'air_conditioner'],
    ['103-3-0-0.wav', 10, 3, 'dog_bark'],
    ['104-0-0-0.wav', 10, 0, 'air_conditioner'],
  ] as const;
  rows.forEach(([name, fold, id], k) => {
    const rate = k % 2 === 0 ? 16000 : 8000;
    put(dir, `audio/fold${fold}/${name}`, encodePcm16Wav(tone(1 + k / 2, rate, 150 + 200 * id), rate));
  });
  const csv = rows.map(([name, fold, id, cls]) => `${name},1,0,1,1,${fold},${id},${cls}`);
  put(
    dir,
    'metadata/UrbanSound8K.csv',
    `slice_file_name,fsID,start,end,salience,fold,classID,class\n${csv.join('\n')}\n${csvExtra}`,
  );
  return dir;
}

describe('resolveAudioData', () => {
  it('a Speech Commands folder: its lists split, keyword features, a fingerprint of names and sizes', async () => {
    const dir = speechFolder();
    const d = await resolveAudioData(dir, { flag: '--data' });
    expect(d.kind).toBe('speech-commands');
    expect(d.classNames).toEqual(['no', 'yes']);
    expect([d.train.n, d.validation, d.test.n]).toEqual([4, 1, 2]);
    expect([...d.train.labels]).toEqual([0, 0, 0, 1]);
    expect([...d.test.labels]).toEqual([0, 1]);
    expect([d.frames, d.features]).toEqual([98, 40]);
    expect(d.train.x.length).toBe(4 * 98 * 40);
    expect(d.testLabel).toBe('test (testing_list.txt)');
    expect(d.source).toMatch(
      /2 classes, 4 train \/ 1 validation \(unused\) \/ 2 test clips.*16000 Hz, logmel 98×40/,
    );
    // the keyword task's features of the clip padded to 1 s: no/a_nohash_0.wav is train row 0
    const fx = new AudioFeatureExtractor(keywordFeatureExtractorOptions(16000));
    const clip = new Float32Array(16000);
    clip.set(decodeWav(encodePcm16Wav(tone(0.5, 16000, 200), 16000)).channels[0]!);
    expect(d.train.x.subarray(0, 98 * 40)).toEqual(fx.extract(clip));
    const again = await resolveAudioData(dir);
    expect(again.fingerprint).toBe(d.fingerprint);
    expect(d.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    put(dir, 'no/d_nohash_0.wav', encodePcm16Wav(tone(0.5, 8000, 300), 8000)); // same name, other size
    expect((await resolveAudioData(dir)).fingerprint).not.toBe(d.fingerprint);
    const mfcc = await resolveAudioData(dir, { features: 'mfcc' });
    expect([mfcc.frames, mfcc.features]).toEqual([98, 13]);
  });

  it("without lists: Speech Commands' own hash split by speaker", async () => {
    expect(
      ['spk0', 'spk5', 'spk30', 'spk36'].map((s) => speechCommandsHashSplit(`${s}_nohash_0.wav`)),
    ).toEqual(['train', 'validation', 'test', 'test']); // TensorFlow's which_set, computed with Python's hashlib
    expect(speechCommandsHashSplit('yes/spk30_nohash_7.wav')).toBe('test');
    const dir = mkdtempSync(join(tmpdir(), 'audio-data-hash-'));
    for (const [label, hz] of [
      ['up', 300],
      ['down', 900],
    ] as const)
      for (const s of ['spk0', 'spk5', 'spk30'])
        put(dir, `${label}/${s}_nohash_0.wav`, encodePcm16Wav(tone(1, 16000, hz), 16000));
    const d = await resolveAudioData(dir, { flag: '--data' });
    expect([d.train.n, d.validation, d.test.n]).toEqual([2, 2, 2]);
    expect(d.testLabel).toBe('test (hash split)');
  });

  it('an UrbanSound8K tree: the held-out fold is the test split (default fold 10), 4 s clips', async () => {
    const dir = urbanFolder();
    const d = await resolveAudioData(dir, { flag: '--data' });
    expect(d.kind).toBe('urbansound8k');
    expect(d.classNames.slice(0, 4)).toEqual(['air_conditioner', '1', '2', 'dog_bark']);
    expect([d.train.n, d.test.n, d.validation]).toEqual([3, 2, undefined]);
    expect([...d.test.labels]).toEqual([3, 0]);
    expect([d.frames, d.features]).toEqual([398, 40]);
    expect(d.testLabel).toBe('test (fold 10)');
    const f1 = await resolveAudioData(dir, { testFold: 1, features: 'mfcc' });
    expect([f1.train.n, f1.test.n, f1.features]).toEqual([3, 2, 13]);
    expect(f1.fingerprint).not.toBe(d.fingerprint);
    await expect(resolveAudioData(dir, { flag: '--data', testFold: 3 })).rejects.toThrow(
      /^--data: .* whose test split holds no clips$/,
    );
  });

  it('named data, and typed errors naming the flag, the expectation and the value', async () => {
    const s = await resolveAudioData('synthetic', { seed: 3 });
    expect([s.kind, s.name, s.testLabel]).toEqual(['synthetic', 'synthetic', 'test (unseen speakers)']);
    expect(s.fingerprint).toBeUndefined();
    await expect(resolveAudioData('keywords', { flag: '--data' })).rejects.toThrow(ArgumentError);
    const expected =
      /^--data: expected 'keywords', 'synthetic', a Speech Commands–style folder .* or an UrbanSound8K folder/;
    const missing = join(tmpdir(), 'no-such-audio-folder');
    await expect(resolveAudioData(missing, { flag: '--data' })).rejects.toThrow(expected);
    await expect(resolveAudioData(missing, { flag: '--data' })).rejects.toThrow(
      `got '${missing}', which does not exist`,
    );
    const empty = mkdtempSync(join(tmpdir(), 'audio-data-empty-'));
    await expect(resolveAudioData(empty, { flag: '--data' })).rejects.toThrow(
      /which holds no label folders$/,
    );
    put(empty, 'x.wav', encodePcm16Wav(tone(0.1, 16000, 100), 16000));
    await expect(resolveAudioData(join(empty, 'x.wav'), { flag: '--data' })).rejects.toThrow(
      /x\.wav', a file$/,
    );
    await expect(resolveAudioData('', { flag: '--data' })).rejects.toThrow(/got ''$/);
    const noTest = speechFolder();
    put(noTest, 'testing_list.txt', '');
    await expect(resolveAudioData(noTest, { flag: '--data' })).rejects.toThrow(
      new RegExp(`^--data: expected .* got the folder '${noTest}', whose test split holds no clips$`),
    );
    await expect(resolveAudioData(urbanFolder('105.wav,1,0,1,1,11,0,air_conditioner\n'))).rejects.toThrow(
      FormatError,
    );
    const broken = speechFolder();
    put(broken, 'yes/a_nohash_0.wav', 'RIFF');
    await expect(resolveAudioData(broken)).rejects.toThrow(/yes\/a_nohash_0\.wav: decodeWav/);
  });

  it('encodePcm16Wav round-trips through decodeWav', () => {
    const x = Float32Array.from([0, 0.5, -0.25, -1, 1.5]); // 1.5 clips to 32767
    const w = decodeWav(encodePcm16Wav(x, 8000));
    expect([w.sampleRate, w.bitsPerSample, w.channels.length, w.encoding]).toEqual([8000, 16, 1, 'pcm']);
    expect([...w.channels[0]!]).toEqual([0, 0.5, -0.25, -1, 32767 / 32768]);
    expect(() => encodePcm16Wav(x, 0)).toThrow(ArgumentError);
    expect(() => encodePcm16Wav(Float32Array.of(0, Number.NaN), 8000)).toThrow(
      /samples\[1\]: expected a finite number, got NaN/,
    );
  });
});
