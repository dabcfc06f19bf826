import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, checkInt, checkObject, checkString, describeValue } from '@tenzo/core';
import { type KeywordFeatureOptions, keywordFeatureExtractorOptions } from '../keywords/keywordFeatures.js';
import { type KeywordFeatures, syntheticKeywords } from '../keywords/syntheticKeywords.js';
import type { ClipDataset, ClipSplit } from './clipSet.js';
import { loadSpeechCommands } from './speechCommands.js';
import { loadUrbanSound8K } from './urbanSound8k.js';

/** The audio data `resolveAudioData` knows by name: the spoken keywords and their feature-level stand-in. */
export const NAMED_AUDIO_DATA = ['keywords', 'synthetic'] as const;
/** A name of {@link NAMED_AUDIO_DATA}. */
export type NamedAudioData = (typeof NAMED_AUDIO_DATA)[number];

/** Options of {@link resolveAudioData}: the keyword task's feature options, and where named data comes from. */
export interface ResolveAudioDataOptions extends KeywordFeatureOptions {
  /** who asks, in error messages (default 'resolveAudioData: spec'; the CLI passes '--data') */
  flag?: string;
  /** UrbanSound8K's held-out test fold, 1..10 (default 10); the other nine folds train */
  testFold?: number;
  /** target sample rate of folder clips in Hz (default 16000) */
  sampleRate?: number;
  /** seed of 'synthetic' (default 0) */
  seed?: number;
  /** how 'keywords' is obtained (its synthesizer lives with the caller); without it 'keywords' is refused */
  keywords?: () => Promise<KeywordFeatures>;
}

/**
 * Audio data as {@link resolveAudioData} found it: feature sequences `[n, frames, features]` with
 * labels and the dataset's own train/test split, `name` (the name or the path as given) and
 * `testLabel` (what the test split is, for reports). Folders also carry `fingerprint`, a SHA-256
 * of every clip's split, path and size (for resume checks), and `validation`, the clips of the
 * Speech Commands validation split (not used for training or testing).
 */
export interface ResolvedAudioData extends KeywordFeatures {
  kind: NamedAudioData | 'speech-commands' | 'urbansound8k';
  name: string;
  testLabel: string;
  fingerprint?: string;
  validation?: number;
}

const EXPECTED =
  "'keywords', 'synthetic', a Speech Commands–style folder (<label>/<clip>.wav, optional validation_list.txt / testing_list.txt) or an UrbanSound8K folder (metadata/UrbanSound8K.csv, audio/fold1..fold10)";

/**
 * Audio data from a name or a path, what `tenzo-train audio --data` takes:
 * - 'keywords': `opts.keywords()` (the caller's spoken keywords); 'synthetic': `syntheticKeywords`;
 * - a folder with `metadata/UrbanSound8K.csv`: `loadUrbanSound8K`, 4 s clips, fold `testFold`
 *   held out (the dataset's 10-fold protocol: report the mean over the ten folds);
 * - any other folder: `loadSpeechCommands` with optional lists, 1 s clips; its test split is
 *   `testing_list.txt` (or the dataset's hash split when neither list exists).
 *
 * Folder clips are resampled to `sampleRate` and become the keyword task's exact features
 * (`keywordFeatureExtractorOptions`: log-mel or MFCC, 25 ms frames every 10 ms by default). A
 * missing path, a file, a folder with no label folders or a split without clips is an
 * `ArgumentError` naming `flag`, what was expected and the value; malformed lists, CSVs and WAVs
 * are the loaders' `FormatError` / `IoError`, naming the file.
 *
 * ```ts
 * const d = await resolveAudioData('UrbanSound8K', { flag: '--data', testFold: 1, features: 'mfcc' });
 * // d.train.x: Float32Array [d.train.n, 398, 13]; d.testLabel: 'test (fold 1)'
 * ```
 */
export async function resolveAudioData(
  spec: string,
  opts: ResolveAudioDataOptions = {},
): Promise<ResolvedAudioData> {
  checkObject('resolveAudioData: options', opts);
  const flag =
    opts.flag === undefined ? 'resolveAudioData: spec' : checkString('resolveAudioData: flag', opts.flag);
  checkString(flag, spec);
  const refuse = (what: string) => new ArgumentError(`${flag}: expected ${EXPECTED}, got ${what}`);
  if (spec === 'synthetic')
    return {
      ...syntheticKeywords({ seed: opts.seed ?? 0 }),
      kind: spec,
      name: spec,
      testLabel: 'test (unseen speakers)',
    };
  if (spec === 'keywords') {
    if (typeof opts.keywords !== 'function')
      throw new ArgumentError(
        `resolveAudioData: keywords: expected a function giving the spoken keywords, got ${describeValue(opts.keywords)}`,
      );
    return { ...(await opts.keywords()), kind: spec, name: spec, testLabel: 'test (unseen speakers)' };
  }
  if (spec === '') throw refuse("''");
  if (!existsSync(spec)) throw refuse(`'${spec}', which does not exist`);
  if (!statSync(spec).isDirectory()) throw refuse(`'${spec}', a file`);
  const sampleRate = checkInt('resolveAudioData: sampleRate', opts.sampleRate ?? 16000, { positive: true });
  const { sampleRate: _, ...features } = keywordFeatureExtractorOptions(sampleRate, opts);
  const isUrban = existsSync(join(spec, 'metadata', 'UrbanSound8K.csv'));
  let clips: ClipDataset<'train' | 'test'> & { splits: { validation?: ClipSplit } };
  let fileOf: (rel: string) => string;
  if (isUrban) {
    clips = loadUrbanSound8K({ dir: spec, testFold: opts.testFold ?? 10, sampleRate, features });
    fileOf = (rel) => join(spec, 'audio', rel);
  } else {
    try {
      clips = loadSpeechCommands({ dir: spec, optionalLists: true, sampleRate, features });
    } catch (err) {
      if (
        err instanceof ArgumentError &&
        /labels: expected distinct label folders, got \[\]/.test(err.message)
      )
        throw refuse(`the folder '${spec}', which holds no label folders`);
      throw err;
    }
    fileOf = (rel) => join(spec, rel);
  }
  const { train, test, validation } = clips.splits;
  for (const [split, s] of [
    ['training', train],
    ['test', test],
  ] as const)
    if (s.n === 0) throw refuse(`the folder '${spec}', whose ${split} split holds no clips`);
  const hash = createHash('sha256');
  for (const [split, s] of Object.entries(clips.splits))
    for (const rel of s.files) hash.update(`${split}\t${rel}\t${statSync(fileOf(rel)).size}\n`);
  const [frames, dim] = clips.itemShape as [number, number];
  const kind = isUrban ? 'urbansound8k' : 'speech-commands';
  const testLabel = isUrban
    ? `test (fold ${opts.testFold ?? 10})`
    : existsSync(join(spec, 'testing_list.txt'))
      ? 'test (testing_list.txt)'
      : 'test (hash split)';
  const counts = `${train.n} train${validation ? ` / ${validation.n} validation (unused)` : ''} / ${test.n} test clips`;
  return {
    kind,
    name: spec,
    testLabel,
    frames,
    features: dim,
    classNames: clips.classNames,
    train: { n: train.n, x: train.x, labels: train.labels },
    test: { n: test.n, x: test.x, labels: test.labels },
    source:
      `${isUrban ? 'UrbanSound8K' : 'Speech Commands folder'} '${spec}': ${clips.classNames.length} classes, ${counts}, ` +
      `${testLabel}, ${sampleRate} Hz, ${features.kind} ${frames}×${dim}`,
    fingerprint: hash.digest('hex'),
    ...(validation ? { validation: validation.n } : {}),
  };
}
