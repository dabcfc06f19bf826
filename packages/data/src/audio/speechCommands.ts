import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ArgumentError, checkArray, checkObject, checkString, FormatError } from '@tenzo/core';
import { ioError, readBytes, readUtf8 } from '../files/readFile.js';
import { type ClipDataset, type ClipOptions, ClipWriter } from './clipSet.js';
import { decodeWav } from './wav.js';

/**
 * Options of `loadSpeechCommands`: the dataset folder, which labels to load, and the clip settings (target
 * sample rate, clip length in seconds, optional features).
 */
export interface LoadSpeechCommandsOptions extends Partial<ClipOptions> {
  /** the folder holding `<label>/<file>.wav`, `validation_list.txt` and `testing_list.txt` */
  dir: string;
  /** the labels to load (default: every folder not starting with '_' or '.'); class ids follow this order */
  labels?: string[];
  /**
   * a missing list is no error (default false): with neither list the clips are split by the
   * dataset's own rule ({@link speechCommandsHashSplit}), with one the other split is empty
   */
  optionalLists?: boolean;
}

const SPLITS: readonly SpeechCommandsSplit[] = ['train', 'validation', 'test'];
/** A split of the Speech Commands lists: `'train'`, `'validation'` or `'test'`. */
export type SpeechCommandsSplit = 'train' | 'validation' | 'test';

/**
 * A Speech Commands–style folder (Warden 2018): `<dir>/<label>/<name>.wav`, split by the lists
 * `validation_list.txt` and `testing_list.txt` (one `label/name.wav` per line, relative to `dir`;
 * every other clip is training). Folders starting with `_` (`_background_noise_`) are not
 * labels. Clips are decoded with `decodeWav`, made mono, resampled to `sampleRate` (default
 * 16 kHz), padded or cropped to `seconds` (default 1) and, with `features`, turned into log-mel
 * or MFCC frames. The lists are checked: each line a `label/name.wav` that exists, no clip in
 * both lists (`FormatError` naming the list and the line); a missing list is an `IoError`.
 * Memory: the full v0.02 set as 16 kHz waveforms is 105,829 × 64 kB = 6.8 GB — pass `labels`
 * or `features` (98 × 40 log-mel frames: 1.7 GB). With `optionalLists`, a folder without lists is
 * split by {@link speechCommandsHashSplit}.
 *
 * ```ts
 * const sc = loadSpeechCommands({ dir: 'speech_commands_v0.02', labels: ['yes', 'no'], features: { kind: 'logmel', nFft: 512, winLength: 400, hop: 160, nMels: 40 } });
 * // sc.splits.train.x: [n, 98, 40]
 * ```
 */
export function loadSpeechCommands(opts: LoadSpeechCommandsOptions): ClipDataset<SpeechCommandsSplit> {
  const fn = 'loadSpeechCommands';
  checkObject(`${fn}: options`, opts);
  checkString(`${fn}: dir`, opts.dir);
  if (opts.labels !== undefined)
    checkArray(`${fn}: labels`, opts.labels).forEach((l, i) => {
      if (typeof l !== 'string' || l === '' || /[/\\]/.test(l) || l === '.' || l === '..')
        throw new ArgumentError(`${fn}: labels[${i}]: expected a folder name, got ${JSON.stringify(l)}`);
    });
  const writer = new ClipWriter(fn, { ...opts, seconds: opts.seconds ?? 1 });
  const labels = opts.labels ?? labelFolders(fn, opts.dir);
  if (labels.length === 0 || new Set(labels).size !== labels.length)
    throw new ArgumentError(`${fn}: labels: expected distinct label folders, got ${JSON.stringify(labels)}`);
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const listed = new Map<string, SpeechCommandsSplit>();
  const lists = [
    ['validation', 'validation_list.txt'],
    ['test', 'testing_list.txt'],
  ] as const;
  const optional = opts.optionalLists === true;
  const hashed = optional && lists.every(([, name]) => !existsSync(join(opts.dir, name)));
  for (const [split, name] of lists) {
    const list = join(opts.dir, name);
    if (optional && !existsSync(list)) continue;
    readUtf8(fn, list)
      .split(/\r?\n/)
      .forEach((line, k) => {
        if (line === '') return;
        const at = `${fn}: ${list}: line ${k + 1}`;
        const m = /^([^/\\]+)\/([^/\\]+\.wav)$/i.exec(line);
        if (!m) throw new FormatError(`${at}: expected 'label/name.wav', got ${JSON.stringify(line)}`);
        if (!existsSync(join(opts.dir, line)))
          throw new FormatError(
            `${at}: expected an existing clip, got ${JSON.stringify(line)} (no such file)`,
          );
        const before = listed.get(line);
        if (before !== undefined)
          throw new FormatError(
            `${at}: expected each clip in one list, got ${JSON.stringify(line)} already in the ${before} list`,
          );
        listed.set(line, split);
      });
  }
  const bySplit: Record<SpeechCommandsSplit, { rel: string; label: number }[]> = {
    train: [],
    validation: [],
    test: [],
  };
  for (const label of labels) {
    const folder = join(opts.dir, label);
    let names: string[];
    try {
      names = readdirSync(folder).filter((f) => f.toLowerCase().endsWith('.wav') && !f.startsWith('.'));
    } catch (err) {
      throw ioError(fn, 'list the label folder', folder, err);
    }
    for (const name of names.sort()) {
      const rel = `${label}/${name}`;
      const split = hashed ? speechCommandsHashSplit(name) : (listed.get(rel) ?? 'train');
      bySplit[split].push({ rel, label: classOf.get(label)! });
    }
  }
  const splits = {} as ClipDataset<SpeechCommandsSplit>['splits'];
  for (const s of SPLITS) {
    const items = bySplit[s];
    const out = writer.split(items.length);
    items.forEach(({ rel, label }, row) => {
      const file = join(opts.dir, rel);
      writer.write(out, row, decodeWavFile(fn, file), label, rel);
    });
    splits[s] = out;
  }
  return {
    classNames: labels,
    sampleRate: writer.sampleRate,
    nSamples: writer.nSamples,
    itemShape: writer.itemShape,
    splits,
  };
}

/** decodeWav with the file named in its errors. */
export function decodeWavFile(fn: string, file: string) {
  try {
    return decodeWav(readBytes(fn, file));
  } catch (err) {
    if (err instanceof FormatError) throw new FormatError(`${fn}: ${file}: ${err.message}`, { cause: err });
    throw err;
  }
}

function labelFolders(fn: string, dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw ioError(fn, 'list the directory', dir, err);
  }
  return names
    .filter((n) => !n.startsWith('_') && !n.startsWith('.') && statSync(join(dir, n)).isDirectory())
    .sort();
}

/** TensorFlow's MAX_NUM_WAVS_PER_CLASS (2^27 − 1), the modulus of the Speech Commands hash split. */
const MAX_WAVS_PER_CLASS = 2n ** 27n - 1n;

/**
 * The split Speech Commands assigns a clip when no list is given — `which_set` of TensorFlow's
 * `speech_commands/input_data.py` with 10 % validation and 10 % test: the file name up to
 * `_nohash_` (the speaker) is hashed with SHA-1, so every clip of a speaker lands in one split and
 * the assignment never changes as files are added.
 *
 * ```ts
 * speechCommandsHashSplit('0a7c2a8d_nohash_0.wav'); // 'train' | 'validation' | 'test'
 * ```
 */
export function speechCommandsHashSplit(fileName: string): SpeechCommandsSplit {
  checkString('speechCommandsHashSplit: fileName', fileName);
  const key = basename(fileName).replace(/_nohash_.*$/, '');
  const hash = BigInt(`0x${createHash('sha1').update(key, 'utf8').digest('hex')}`);
  const percent = Number(hash % (MAX_WAVS_PER_CLASS + 1n)) * (100 / Number(MAX_WAVS_PER_CLASS));
  return percent < 10 ? 'validation' : percent < 20 ? 'test' : 'train';
}
