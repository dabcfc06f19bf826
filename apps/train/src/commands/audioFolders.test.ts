import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { encodePcm16Wav } from '@tenzo/data';
import { describe, expect, it, vi } from 'vitest';
import { audioCommand, runAudio } from './audio.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'audio', audioCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

/** a decaying tone of `seconds` at `rate` Hz, as 16-bit PCM WAV bytes */
const wav = (seconds: number, rate: number, hz: number) =>
  encodePcm16Wav(
    Float32Array.from(
      { length: Math.round(seconds * rate) },
      (_, j) => 0.5 * Math.exp(-j / rate) * Math.sin((2 * Math.PI * hz * j) / rate),
    ),
    rate,
  );

function put(root: string, rel: string, data: Uint8Array | string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), data);
}

// a tiny network: 8 channels, d = 8
const base = ['--channels', '8', '--embedding', '8', '--batch-size', '4', '--warmup', '2', '--seed', '1'];

describe('tenzo-train audio --data <folder>', () => {
  it('a Speech Commands folder: trains on its lists, its fingerprint in the config, --resume refuses changed clips', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-audio-sc-'));
    for (let k = 0; k < 5; k++) {
      put(dir, `up/s${k}_nohash_0.wav`, wav(0.6, 16000, 300 + 20 * k));
      put(dir, `down/s${k}_nohash_0.wav`, wav(0.8, 8000, 1200 + 20 * k)); // 8 kHz clips are resampled
    }
    put(dir, 'validation_list.txt', 'up/s3_nohash_0.wav\ndown/s3_nohash_0.wav\n');
    put(dir, 'testing_list.txt', 'up/s4_nohash_0.wav\ndown/s4_nohash_0.wav\n');
    const out = mkdtempSync(join(tmpdir(), 'tenzo-audio-sc-out-'));
    const argv = [...base, '--data', dir, '--features', 'mfcc', '--out', out];
    const h = await runAudio(flags([...argv, '--epochs', '1']));
    expect(h).toHaveLength(1);
    expect(Number.isFinite(h[0]!.trainLoss)).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.data).toMatchObject({
      train: 6,
      test: 2,
      frames: 98,
      features: 13,
      classes: ['down', 'up'],
    });
    expect(report.data.source).toMatch(
      /^Speech Commands folder .*: 2 classes, 6 train \/ 2 validation \(unused\) \/ 2 test clips/,
    );
    expect(report.config.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(report.config.fold).toBeUndefined(); // --fold is UrbanSound8K's only
    put(dir, 'up/s0_nohash_0.wav', wav(0.5, 16000, 300));
    await expect(runAudio(flags([...argv, '--epochs', '2', '--resume']))).rejects.toThrow(
      /made with other settings .*dataFingerprint/,
    );
    log.mockRestore();
    err.mockRestore();
  }, 60_000);

  it('an UrbanSound8K tree: --fold is held out, 4 s clips', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-audio-us-'));
    const rows: string[] = [];
    for (let k = 0; k < 8; k++) {
      const [fold, id, cls] = [1 + (k % 4), k % 2 === 0 ? 1 : 6, k % 2 === 0 ? 'car_horn' : 'gun_shot'];
      put(dir, `audio/fold${fold}/${k}-${id}-0-0.wav`, wav(1 + k / 4, k < 4 ? 16000 : 8000, 200 + 400 * id));
      rows.push(`${k}-${id}-0-0.wav,${k},0,1,1,${fold},${id},${cls}`);
    }
    put(
      dir,
      'metadata/UrbanSound8K.csv',
      `slice_file_name,fsID,start,end,salience,fold,classID,class\n${rows.join('\n')}\n`,
    );
    const out = mkdtempSync(join(tmpdir(), 'tenzo-audio-us-out-'));
    await runAudio(flags([...base, '--data', dir, '--fold', '2', '--epochs', '1', '--out', out]));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.data).toMatchObject({ train: 6, test: 2, frames: 398, features: 40 });
    expect(report.data.classes[6]).toBe('gun_shot');
    expect(report.data.source).toContain('test (fold 2)');
    expect(report.config).toMatchObject({ fold: 2, data: dir });
    log.mockRestore();
    err.mockRestore();
  }, 60_000);

  it('refuses a missing folder and a fold outside 1..10, naming the flag', async () => {
    await expect(runAudio(flags([...base, '--data', '/no/such/clips']))).rejects.toThrow(
      /^--data: expected 'keywords', 'synthetic', a Speech Commands–style folder .* got '\/no\/such\/clips', which does not exist$/,
    );
    expect(() => flags(['--fold', '11'])).toThrowError(/--fold/);
  });
});
