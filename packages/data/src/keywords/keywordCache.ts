import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkInt, checkObject, checkString, FormatError } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { readBytes } from '../files/readFile.js';
import {
  type KeywordAudio,
  type KeywordAudioOptions,
  type KeywordAudioSplit,
  type ResolvedKeywordOptions,
  resolveKeywordOptions,
  synthesizeKeywordAudio,
} from './keywordAudio.js';
import { type KeywordDataset, type KeywordFeatureOptions, keywordFeatures } from './keywordFeatures.js';

/** Bumped whenever generation changes what bytes a config produces (part of the cache key). */
export const KEYWORD_GENERATOR_VERSION = 1;

/** {@link KeywordAudioOptions} plus the folder synthesised clips are cached in. */
export interface CachedKeywordAudioOptions extends KeywordAudioOptions {
  /** cache folder (default 'runs/cache' under the working directory); null: never read or write */
  cacheDir?: string | null;
}

/** The cache file's name for a resolved config: the hash covers every input of generation. */
function cacheKey(r: ResolvedKeywordOptions, synthesizer: string): string {
  const text = JSON.stringify({ v: KEYWORD_GENERATOR_VERSION, synth: synthesizer, ...r });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Where `generateKeywordAudio` caches a config (for reports and cleanup). */
export function keywordCachePath(opts: CachedKeywordAudioOptions): string {
  const key = cacheKey(resolveKeywordOptions(opts), opts.synthesizer.id);
  if (opts.cacheDir != null) checkString('keywordCachePath: cacheDir', opts.cacheDir);
  return resolve(opts.cacheDir ?? 'runs/cache', `keywords-${key}.bin`);
}

/**
 * `synthesizeKeywordAudio` cached on disk: the first call with a config synthesizes the clips and
 * writes `<cacheDir>/keywords-<hash>.bin` (atomically); later calls read it back, byte for byte
 * the same clips, after checking the file against the config (`FormatError` otherwise).
 */
export async function generateKeywordAudio(opts: CachedKeywordAudioOptions): Promise<KeywordAudio> {
  const r = resolveKeywordOptions(opts);
  const nSamples = Math.round(r.sampleRate * r.clipSeconds);
  const cacheDir = opts.cacheDir === undefined ? 'runs/cache' : opts.cacheDir;
  if (cacheDir !== null) checkString('generateKeywordAudio: cacheDir', cacheDir);
  const key = cacheKey(r, opts.synthesizer.id);
  const cachePath = cacheDir === null ? null : resolve(cacheDir, `keywords-${key}.bin`);
  if (cachePath && existsSync(cachePath)) return readKeywordCache(cachePath, r, nSamples);
  const result = await synthesizeKeywordAudio(r, opts.synthesizer, opts.onSession);
  if (cachePath) {
    result.info.cachePath = cachePath;
    result.info.cacheBytes = writeKeywordCache(cachePath, result, r);
  }
  return result;
}

const MAGIC = 'TZKW';

interface CacheHeader {
  magic: typeof MAGIC;
  version: number;
  config: ResolvedKeywordOptions;
  nSamples: number;
  n: { train: number; test: number };
  labels: { train: number[]; test: number[] };
  speaker: { train: number[]; test: number[] };
  generationSeconds: number;
  fallbackSessions: number;
  croppedClips: number;
}

/**
 * File layout: 'TZKW', uint32 header byte length (little-endian), the JSON header padded with
 * spaces to a multiple of 8 bytes, then the int16 samples of train and then test. Returns the
 * file's size in bytes.
 */
export function writeKeywordCache(path: string, a: KeywordAudio, r: ResolvedKeywordOptions): number {
  const header: CacheHeader = {
    magic: MAGIC,
    version: KEYWORD_GENERATOR_VERSION,
    config: r,
    nSamples: a.nSamples,
    n: { train: a.train.n, test: a.test.n },
    labels: { train: Array.from(a.train.labels), test: Array.from(a.test.labels) },
    speaker: { train: Array.from(a.train.speaker), test: Array.from(a.test.speaker) },
    generationSeconds: a.info.generationSeconds,
    fallbackSessions: a.info.fallbackSessions,
    croppedClips: a.info.croppedClips,
  };
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const head = Buffer.from(json, 'utf8');
  const pre = Buffer.alloc(8);
  pre.write(MAGIC, 0, 'latin1');
  pre.writeUInt32LE(head.length, 4);
  const body = [a.train.samples, a.test.samples].map((s) =>
    Buffer.from(s.buffer, s.byteOffset, s.byteLength),
  );
  const bytes = Buffer.concat([pre, head, ...body]);
  writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Reads a cache file written for config `r`; `FormatError` (naming the file) if it is not one. */
export function readKeywordCache(path: string, r: ResolvedKeywordOptions, nSamples: number): KeywordAudio {
  checkObject('readKeywordCache: r', r);
  checkInt('readKeywordCache: nSamples', nSamples, { positive: true });
  const bytes = Buffer.from(readBytes('readKeywordCache', path)); // IoError naming the file
  const fail = (why: string) => new FormatError(`${path}: ${why}; delete the file to regenerate it`);
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC)
    throw fail("expected a 'TZKW' keyword cache");
  const headLen = bytes.readUInt32LE(4);
  if (8 + headLen > bytes.length) throw fail(`expected a ${headLen}-byte header, the file is shorter`);
  let h: CacheHeader;
  try {
    h = JSON.parse(bytes.toString('utf8', 8, 8 + headLen)) as CacheHeader;
  } catch (err) {
    throw new FormatError(`${path}: unreadable header; delete the file to regenerate it`, { cause: err });
  }
  if (h === null || typeof h !== 'object' || Array.isArray(h)) throw fail('expected a JSON object header');
  if (h.version !== KEYWORD_GENERATOR_VERSION || JSON.stringify(h.config) !== JSON.stringify(r)) {
    throw fail('header does not match the requested config');
  }
  const K = r.keywords.length;
  const count = (name: 'train' | 'test', perClass: number) => {
    const n = h.n?.[name];
    const labels = h.labels?.[name];
    const speaker = h.speaker?.[name];
    const voices = name === 'train' ? r.trainVariants.length : r.testVariants.length;
    if (n !== perClass * K) throw fail(`expected n.${name} = ${perClass * K}, got ${JSON.stringify(n)}`);
    if (
      !Array.isArray(labels) ||
      labels.length !== n ||
      labels.some((y) => !Number.isInteger(y) || y < 0 || y >= K)
    )
      throw fail(`expected labels.${name}: ${n} class indices below ${K}`);
    if (
      !Array.isArray(speaker) ||
      speaker.length !== n ||
      speaker.some((v) => !Number.isInteger(v) || v < 0 || v >= voices)
    )
      throw fail(`expected speaker.${name}: ${n} voice indices below ${voices}`);
  };
  count('train', r.clipsPerClass);
  count('test', r.testClipsPerClass);
  const start = 8 + headLen;
  const total = (h.n.train + h.n.test) * nSamples;
  if (h.nSamples !== nSamples || bytes.length !== start + 2 * total) {
    throw fail(`expected ${total} int16 samples after the header, got ${(bytes.length - start) / 2}`);
  }
  const all = new Int16Array(total);
  new Uint8Array(all.buffer).set(bytes.subarray(start));
  const split = (name: 'train' | 'test', from: number): KeywordAudioSplit => ({
    n: h.n[name],
    samples: all.subarray(from * nSamples, (from + h.n[name]) * nSamples),
    labels: Int32Array.from(h.labels[name]),
    speaker: Int32Array.from(h.speaker[name]),
  });
  return {
    classNames: r.keywords,
    sampleRate: r.sampleRate,
    nSamples,
    train: split('train', 0),
    test: split('test', h.n.train),
    voices: { train: r.trainVariants, test: r.testVariants },
    info: {
      cachePath: path,
      fromCache: true,
      generationSeconds: h.generationSeconds,
      cacheBytes: bytes.length,
      fallbackSessions: h.fallbackSessions,
      croppedClips: h.croppedClips,
    },
  };
}

/** Options of `loadKeywordDataset`: how clips are synthesised and cached, and how they become features. */
export interface KeywordDatasetOptions extends CachedKeywordAudioOptions, KeywordFeatureOptions {}

/**
 * The spoken-keyword dataset as features: `generateKeywordAudio` (cached clips) then
 * `keywordFeatures`. `source` names the synthesizer by its id up to the '@' ('espeak-ng').
 *
 * ```ts
 * const ds = await loadKeywordDataset({ synthesizer, seed: 0, clipsPerClass: 300, features: 'logmel' });
 * // ds.train.x: Float32Array [ds.train.n, ds.frames, ds.features]; ds.train.labels: Int32Array
 * ```
 */
export async function loadKeywordDataset(opts: KeywordDatasetOptions): Promise<KeywordDataset> {
  const audio = await generateKeywordAudio(opts);
  return keywordFeatures(audio, opts, opts.synthesizer.id.split('@')[0]);
}
