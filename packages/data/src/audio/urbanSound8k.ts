import { join } from 'node:path';
import { checkInt, checkObject, checkString, FormatError } from '@tenzo/core';
import { csvTable } from '../files/csv.js';
import { fileSize, readUtf8 } from '../files/readFile.js';
import { type ClipDataset, type ClipOptions, ClipWriter } from './clipSet.js';
import { decodeWavFile } from './speechCommands.js';

/**
 * Options of `loadUrbanSound8K`: the dataset folder, the held-out test fold (1..10) and the clip settings
 * (target sample rate, clip length in seconds, optional features).
 */
export interface LoadUrbanSound8KOptions extends Partial<ClipOptions> {
  /** the `UrbanSound8K` folder: `metadata/UrbanSound8K.csv` and `audio/fold1` … `audio/fold10` */
  dir: string;
  /** the test fold of the 10-fold protocol, 1..10; the other nine folds are training */
  testFold: number;
}

/** Number of predefined UrbanSound8K folds (for 10-fold cross-validation): 10. */
export const URBANSOUND8K_FOLDS = 10;
/** Number of UrbanSound8K classes (air conditioner … street music): 10. */
export const URBANSOUND8K_CLASSES = 10;

/**
 * UrbanSound8K (Salamon, Jacoby & Bello 2014): 8,732 labelled clips of at most 4 s in ten
 * predefined folds; results are reported as the mean over the ten choices of `testFold` (never
 * a random split: clips of one recording share a fold). The metadata CSV is parsed as RFC 4180
 * and checked row by row (`FormatError` naming the file, the line and the field): columns
 * slice_file_name, fold (1..10), classID (0..9) and class, one name per classID, no clip twice;
 * each clip must exist in `audio/fold<k>/` (`IoError` otherwise). WAVs (8/16/24/32-bit PCM or
 * float, any rate and channel count) are made mono, resampled to `sampleRate` (default 16 kHz)
 * and padded or cropped to `seconds` (default 4). Memory: all 8,732 clips at 16 kHz are 2.2 GB
 * as waveforms; `features` (e.g. 40 log-mel bands every 10 ms: 0.2 GB) keeps only the frames.
 * Class names are indexed by classID.
 *
 * ```ts
 * const us = loadUrbanSound8K({ dir: 'UrbanSound8K', testFold: 1, sampleRate: 16000, features: { kind: 'logmel', nFft: 512, winLength: 400, hop: 160, nMels: 40 } });
 * // us.splits.train.x: [n, 398, 40]
 * ```
 */
export function loadUrbanSound8K(opts: LoadUrbanSound8KOptions): ClipDataset<'train' | 'test'> {
  const fn = 'loadUrbanSound8K';
  checkObject(`${fn}: options`, opts);
  checkString(`${fn}: dir`, opts.dir);
  const testFold = checkInt(`${fn}: testFold`, opts.testFold, { min: 1, max: URBANSOUND8K_FOLDS });
  const writer = new ClipWriter(fn, { ...opts, seconds: opts.seconds ?? 4 });
  const csv = join(opts.dir, 'metadata', 'UrbanSound8K.csv');
  const { columns, records } = csvTable(readUtf8(fn, csv), `${fn}: ${csv}`, [
    'slice_file_name',
    'fold',
    'classID',
    'class',
  ]);
  const classNames = new Array<string>(URBANSOUND8K_CLASSES);
  const seen = new Set<string>();
  const clips = records.map(({ line, fields }) => {
    const field = (name: keyof typeof columns) => fields[columns[name]]!;
    const bad = (name: string, expected: string): never => {
      throw new FormatError(
        `${fn}: ${csv}: line ${line}: ${name}: expected ${expected}, got ${JSON.stringify(field(name as keyof typeof columns))}`,
      );
    };
    const name = field('slice_file_name');
    if (!/^[^/\\]+\.wav$/i.test(name)) bad('slice_file_name', 'a file name ending in .wav');
    if (seen.has(name)) bad('slice_file_name', 'each clip once');
    seen.add(name);
    const fold = /^\d+$/.test(field('fold')) ? Number(field('fold')) : 0;
    if (fold < 1 || fold > URBANSOUND8K_FOLDS) bad('fold', `an integer in 1..${URBANSOUND8K_FOLDS}`);
    const classID = /^\d+$/.test(field('classID')) ? Number(field('classID')) : -1;
    if (classID < 0 || classID >= URBANSOUND8K_CLASSES)
      bad('classID', `an integer in 0..${URBANSOUND8K_CLASSES - 1}`);
    const cls = field('class');
    if (cls === '') bad('class', 'a class name');
    const known = classNames[classID];
    if (known !== undefined && known !== cls)
      bad('class', `'${known}' as on earlier lines with classID ${classID}`);
    classNames[classID] = cls;
    return { name, fold, classID, file: join(opts.dir, 'audio', `fold${fold}`, name) };
  });
  for (let c = 0; c < URBANSOUND8K_CLASSES; c++) if (classNames[c] === undefined) classNames[c] = String(c);
  // every clip is checked to exist before the long decode starts
  for (const c of clips) fileSize(fn, c.file);
  const splits = {} as ClipDataset<'train' | 'test'>['splits'];
  for (const s of ['train', 'test'] as const) {
    const items = clips.filter((c) => (c.fold === testFold) === (s === 'test'));
    const out = writer.split(items.length);
    for (const [row, c] of items.entries())
      writer.write(out, row, decodeWavFile(fn, c.file), c.classID, `fold${c.fold}/${c.name}`);
    splits[s] = out;
  }
  return {
    classNames,
    sampleRate: writer.sampleRate,
    nSamples: writer.nSamples,
    itemShape: writer.itemShape,
    splits,
  };
}
