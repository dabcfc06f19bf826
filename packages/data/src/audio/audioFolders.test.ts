import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ArgumentError, FormatError, IoError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { loadSpeechCommands } from './speechCommands.js';
import { loadUrbanSound8K } from './urbanSound8k.js';

/** A canonical WAVE file: 16-bit PCM or 32-bit float, channels interleaved. */
function encodeWav(channels: Float32Array[], rate: number, format: 'pcm16' | 'float32'): Uint8Array {
  const bytes = format === 'pcm16' ? 2 : 4;
  const n = channels[0]!.length;
  const block = bytes * channels.length;
  const b = Buffer.alloc(44 + n * block);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(b.length - 8, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(format === 'pcm16' ? 1 : 3, 20);
  b.writeUInt16LE(channels.length, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * block, 28);
  b.writeUInt16LE(block, 32);
  b.writeUInt16LE(8 * bytes, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(n * block, 40);
  for (let j = 0; j < n; j++)
    channels.forEach((ch, c) => {
      const at = 44 + j * block + c * bytes;
      if (format === 'pcm16')
        b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(ch[j]! * 32768))), at);
      else b.writeFloatLE(ch[j]!, at);
    });
  return b;
}

const tone = (n: number, rate: number, hz: number, amp = 0.5) =>
  Float32Array.from({ length: n }, (_, j) => amp * Math.sin((2 * Math.PI * hz * j) / rate));

function put(root: string, rel: string, data: Uint8Array | string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), data);
}

describe('loadSpeechCommands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'speech-'));
  const clip = (k: number) => tone(8000, 16000, 200 + 100 * k);
  ['yes/a.wav', 'yes/b.wav', 'yes/c.wav', 'no/d.wav', 'no/e.wav'].forEach((f, k) => {
    put(dir, f, encodeWav([clip(k)], 16000, 'pcm16'));
  });
  put(dir, 'no/f.wav', encodeWav([tone(4000, 8000, 300), tone(4000, 8000, 300)], 8000, 'float32')); // stereo 8 kHz
  put(dir, '_background_noise_/noise.wav', encodeWav([clip(9)], 16000, 'pcm16'));
  put(dir, 'validation_list.txt', 'yes/b.wav\n');
  put(dir, 'testing_list.txt', 'no/e.wav\r\n');

  it('splits by the lists, labels by folder (sorted), pads to one second', () => {
    const sc = loadSpeechCommands({ dir });
    expect(sc.classNames).toEqual(['no', 'yes']);
    expect([sc.sampleRate, sc.nSamples, sc.itemShape]).toEqual([16000, 16000, [16000]]);
    const { train, validation, test } = sc.splits;
    expect(train.files).toEqual(['no/d.wav', 'no/f.wav', 'yes/a.wav', 'yes/c.wav']);
    expect([...train.labels]).toEqual([0, 0, 1, 1]);
    expect(validation.files).toEqual(['yes/b.wav']);
    expect(test.files).toEqual(['no/e.wav']);
    expect(test.labels[0]).toBe(0);
    expect(train.x.length).toBe(4 * 16000);
    // yes/a.wav (k = 0): 16-bit samples, then zeros
    const a = train.x.subarray(2 * 16000, 3 * 16000);
    const ref = clip(0);
    for (const j of [1, 100, 7999]) expect(a[j]).toBeCloseTo(Math.round(ref[j]! * 32768) / 32768, 6);
    expect(a.subarray(8000).every((v) => v === 0)).toBe(true);
    // no/f.wav: stereo 8 kHz → mono 16 kHz, 0.5 s of 300 Hz
    const f = train.x.subarray(16000, 32000);
    const want = tone(8000, 16000, 300);
    for (const j of [2000, 4001, 6000]) expect(f[j]).toBeCloseTo(want[j]!, 2);
  });

  it('labels, shorter clips and features', () => {
    const sc = loadSpeechCommands({
      dir,
      labels: ['yes'],
      seconds: 0.25,
      sampleRate: 8000,
      features: { kind: 'logmel', nFft: 256, winLength: 200, hop: 80, nMels: 20 },
    });
    expect(sc.classNames).toEqual(['yes']);
    expect(sc.nSamples).toBe(2000);
    expect(sc.itemShape).toEqual([23, 20]);
    expect(sc.splits.train.n).toBe(2);
    expect(sc.splits.train.x.length).toBe(2 * 23 * 20);
    expect(sc.splits.test.n).toBe(0);
  });

  it('rejects bad lists, broken WAVs and missing folders', () => {
    const bad = mkdtempSync(join(tmpdir(), 'speech-bad-'));
    put(bad, 'yes/a.wav', encodeWav([clip(0)], 16000, 'pcm16'));
    put(bad, 'testing_list.txt', '');
    expect(() => loadSpeechCommands({ dir: bad })).toThrow(IoError); // no validation_list.txt
    put(bad, 'validation_list.txt', 'yes/zzz.wav\n');
    expect(() => loadSpeechCommands({ dir: bad })).toThrow(
      /validation_list\.txt: line 1: expected an existing clip, got "yes\/zzz\.wav"/,
    );
    put(bad, 'validation_list.txt', '/abs/a.wav\n');
    expect(() => loadSpeechCommands({ dir: bad })).toThrow(/line 1: expected 'label\/name\.wav'/);
    put(bad, 'validation_list.txt', 'yes/a.wav\n');
    put(bad, 'testing_list.txt', 'yes/a.wav\n');
    expect(() => loadSpeechCommands({ dir: bad })).toThrow(
      /testing_list\.txt: line 1: expected each clip in one list, got "yes\/a\.wav" already in the validation list/,
    );
    put(bad, 'testing_list.txt', '');
    put(bad, 'yes/broken.wav', encodeWav([clip(0)], 16000, 'pcm16').subarray(0, 100));
    expect(() => loadSpeechCommands({ dir: bad })).toThrow(FormatError);
    expect(() => loadSpeechCommands({ dir: bad })).toThrow(/yes\/broken\.wav: decodeWav: RIFF size/);
    rmSync(join(bad, 'yes/broken.wav'));
    expect(() => loadSpeechCommands({ dir: bad, labels: ['yes', 'maybe'] })).toThrow(IoError);
    expect(() => loadSpeechCommands({ dir: bad, labels: ['yes', 'yes'] })).toThrow(ArgumentError);
    expect(() => loadSpeechCommands({ dir: bad, seconds: 0 })).toThrow(/seconds/);
  });
});

const HEADER = 'slice_file_name,fsID,start,end,salience,fold,classID,class';

describe('loadUrbanSound8K', () => {
  const dir = mkdtempSync(join(tmpdir(), 'us8k-'));
  const rows = [
    ['1-3-0-0.wav', 1, 3, 'dog_bark'],
    ['2-1-0-0.wav', 2, 1, 'car_horn, loud'],
    ['3-3-0-1.wav', 2, 3, 'dog_bark'],
    ['4-0-0-0.wav', 3, 0, 'air_conditioner'],
  ] as const;
  const csv = (lines: readonly (readonly [string, number | string, number | string, string])[]) =>
    `${HEADER}\r\n${lines.map(([f, fold, id, cls]) => `${f},1,0,1,1,${fold},${id},"${cls.replaceAll('"', '""')}"`).join('\r\n')}\r\n`;
  put(dir, 'metadata/UrbanSound8K.csv', csv(rows));
  rows.forEach(([f, fold], k) => {
    put(
      dir,
      `audio/fold${fold}/${f}`,
      k === 1
        ? encodeWav([tone(22050, 22050, 440), tone(22050, 22050, 440)], 22050, 'pcm16')
        : encodeWav([tone(24000 * (k + 1), 48000, 100 * (k + 1))], 48000, 'float32'),
    );
  });

  it('the 10-fold protocol: testFold is the test set, the other folds train', () => {
    const us = loadUrbanSound8K({ dir, testFold: 2, sampleRate: 16000 });
    expect([us.nSamples, us.itemShape]).toEqual([64000, [64000]]);
    expect(us.splits.test.files).toEqual(['fold2/2-1-0-0.wav', 'fold2/3-3-0-1.wav']);
    expect([...us.splits.test.labels]).toEqual([1, 3]);
    expect(us.splits.train.files).toEqual(['fold1/1-3-0-0.wav', 'fold3/4-0-0-0.wav']);
    expect([...us.splits.train.labels]).toEqual([3, 0]);
    expect(us.classNames.slice(0, 4)).toEqual(['air_conditioner', 'car_horn, loud', '2', 'dog_bark']);
    // stereo 22.05 kHz 16-bit → mono 16 kHz: one second of 440 Hz, then zeros
    const x = us.splits.test.x.subarray(0, 64000);
    const want = tone(16000, 16000, 440);
    for (const j of [1000, 5003, 12000]) expect(x[j]).toBeCloseTo(want[j]!, 2);
    expect(x.subarray(16100).every((v) => v === 0)).toBe(true);
    const folds = [1, 2, 3].map(
      (testFold) => loadUrbanSound8K({ dir, testFold, seconds: 0.5, sampleRate: 8000 }).splits.test.n,
    );
    expect(folds).toEqual([1, 2, 1]);
  });

  it('features instead of waveforms', () => {
    const us = loadUrbanSound8K({
      dir,
      testFold: 3,
      sampleRate: 8000,
      seconds: 1,
      features: { kind: 'mfcc', nFft: 256, winLength: 200, hop: 80, nMels: 20, nMfcc: 10 },
    });
    expect(us.itemShape).toEqual([98, 10]);
    expect(us.splits.train.x.length).toBe(3 * 98 * 10);
    expect(us.splits.train.x.every(Number.isFinite)).toBe(true);
  });

  it('rejects malformed metadata and missing clips, naming the file and line', () => {
    const bad = mkdtempSync(join(tmpdir(), 'us8k-bad-'));
    const load = () => loadUrbanSound8K({ dir: bad, testFold: 1 });
    put(bad, 'audio/fold1/a.wav', encodeWav([tone(100, 8000, 100)], 8000, 'pcm16'));
    const cases: [string, RegExp][] = [
      [`${HEADER}\n"a.wav,1,0,1,1,1,0,x\n`, /UrbanSound8K\.csv: line 2, column 1: expected a closing quote/],
      [
        `${HEADER}\na.wav,1,0,1,1,11,0,x\n`,
        /UrbanSound8K\.csv: line 2: fold: expected an integer in 1\.\.10, got "11"/,
      ],
      [`${HEADER}\na.wav,1,0,1,1,1,x,x\n`, /line 2: classID: expected an integer in 0\.\.9, got "x"/],
      [
        `${HEADER}\na.wav,1,0,1,1,1,0,x\nb.wav,1,0,1,1,1,0,y\n`,
        /line 3: class: expected 'x' as on earlier lines with classID 0, got "y"/,
      ],
      [
        `${HEADER}\na.wav,1,0,1,1,1,0,x\na.wav,1,0,1,1,1,0,x\n`,
        /line 3: slice_file_name: expected each clip once/,
      ],
      [`${HEADER}\na.wav,1,0,1,1,1,0\n`, /line 2: expected 8 fields as in the first record, got 7/],
      ['slice_file_name,fold,class\n', /header: expected a column 'classID'/],
    ];
    for (const [text, msg] of cases) {
      put(bad, 'metadata/UrbanSound8K.csv', text);
      expect(load).toThrow(FormatError);
      expect(load).toThrow(msg);
    }
    put(bad, 'metadata/UrbanSound8K.csv', `${HEADER}\na.wav,1,0,1,1,1,0,x\nb.wav,1,0,1,1,2,0,x\n`);
    expect(load).toThrow(IoError);
    expect(load).toThrow(/fold2\/b\.wav/);
    put(bad, 'audio/fold2/b.wav', 'RIFX');
    expect(load).toThrow(/fold2\/b\.wav: decodeWav: file: expected a RIFF\/WAVE header/);
    expect(() => loadUrbanSound8K({ dir: bad, testFold: 0 })).toThrow(/testFold/);
    expect(() => loadUrbanSound8K({ dir: join(bad, 'nope'), testFold: 1 })).toThrow(IoError);
  });
});
