import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { progressBar } from '@tenzo/cli/node';
import { ArgumentError, checkInt, checkNumber, FormatError, Rng } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { Espeak, SYNTHESIZER } from './espeak.js';
import { colouredNoise, NOISE_COLOURS } from './noise.js';
import { resample } from './resample.js';
import { soundingSegments } from './segment.js';
import { ACCENTS, DIGITS, TEST_VARIANTS, TRAIN_VARIANTS } from './voices.js';

/** Bumped whenever generation changes what bytes a config produces (part of the cache key). */
export const KEYWORD_GENERATOR_VERSION = 1;

type Range = readonly [min: number, max: number];

export interface KeywordAudioOptions {
  /** everything random derives from it (default 0) */
  seed?: number;
  /** one class per word (default the digits zero … nine) */
  keywords?: readonly string[];
  /** training clips per class, one per training session (default 300) */
  clipsPerClass?: number;
  /** test clips per class (default 100) */
  testClipsPerClass?: number;
  /** output rate in Hz (default 16000; eSpeak's 22,050 Hz is resampled) */
  sampleRate?: number;
  /** fixed clip length in seconds (default 1) */
  clipSeconds?: number;
  /** signal-to-noise ratio in dB over the word's samples, uniform (default [0, 30]) */
  snrDb?: Range;
  /** eSpeak speaking rate in words per minute, uniform per session (default [120, 220]) */
  speedWpm?: Range;
  /** eSpeak base pitch 0–99, uniform per session (default [20, 80]) */
  pitch?: Range;
  /** eSpeak pitch range 0–99, uniform per session (default [20, 80]) */
  pitchRange?: Range;
  /** speed perturbation per clip: resampling factor, uniform (default [0.9, 1.1]) */
  tempo?: Range;
  /** word peak level in dBFS before noise, uniform per clip (default [−30, −3]) */
  gainDb?: Range;
  /** speaker variants of each split (default TRAIN_VARIANTS / TEST_VARIANTS) */
  trainVariants?: readonly string[];
  testVariants?: readonly string[];
  /** accents drawn per session (default ACCENTS) */
  accents?: readonly string[];
  /** cache folder (default 'runs/cache' under the working directory); null: never read or write */
  cacheDir?: string | null;
  /** progress bar on stderr during generation (default true) */
  progress?: boolean;
}

/** n clips of one split: samples [n, nSamples] int16 (÷32768 for [−1, 1)). */
export interface KeywordAudioSplit {
  n: number;
  samples: Int16Array;
  /** class index per clip */
  labels: Int32Array;
  /** index into the split's `voices` list per clip */
  speaker: Int32Array;
}

export interface KeywordAudio {
  classNames: string[];
  sampleRate: number;
  /** samples per clip */
  nSamples: number;
  train: KeywordAudioSplit;
  test: KeywordAudioSplit;
  /** speaker variants of each split (disjoint) */
  voices: { train: string[]; test: string[] };
  /** how this call got the clips */
  info: {
    cachePath: string | null;
    fromCache: boolean;
    /** seconds spent synthesizing (0 when read from the cache) */
    generationSeconds: number;
    /** bytes of the cache file */
    cacheBytes: number;
    /** sessions whose utterance did not split into one segment per word, re-spoken word by word */
    fallbackSessions: number;
    /** clips longer than the window, centre-cropped */
    croppedClips: number;
  };
}

interface Resolved {
  seed: number;
  keywords: string[];
  clipsPerClass: number;
  testClipsPerClass: number;
  sampleRate: number;
  clipSeconds: number;
  snrDb: Range;
  speedWpm: Range;
  pitch: Range;
  pitchRange: Range;
  tempo: Range;
  gainDb: Range;
  trainVariants: string[];
  testVariants: string[];
  accents: string[];
}

function range(name: string, r: Range, min: number, max: number): Range {
  const lo = checkNumber(`${name}[0]`, r[0], { min, max });
  const hi = checkNumber(`${name}[1]`, r[1], { min: lo, max });
  return [lo, hi];
}

function resolveOptions(o: KeywordAudioOptions): Resolved {
  const keywords = [...(o.keywords ?? DIGITS)];
  if (keywords.length < 2)
    throw new ArgumentError(`keywords: expected at least 2 words, got ${keywords.length}`);
  for (const w of keywords) {
    if (!/^[a-z][a-z' -]*$/i.test(w))
      throw new ArgumentError(`keywords: expected plain words, got ${JSON.stringify(w)}`);
  }
  const trainVariants = [...(o.trainVariants ?? TRAIN_VARIANTS)];
  const testVariants = [...(o.testVariants ?? TEST_VARIANTS)];
  const shared = trainVariants.filter((v) => testVariants.includes(v));
  if (shared.length > 0) {
    throw new ArgumentError(
      `testVariants: expected voices disjoint from trainVariants, both hold ${shared.join(', ')}`,
    );
  }
  if (trainVariants.length === 0 || testVariants.length === 0) {
    throw new ArgumentError('trainVariants, testVariants: expected at least one voice each');
  }
  return {
    seed: checkInt('seed', o.seed ?? 0),
    keywords,
    clipsPerClass: checkInt('clipsPerClass', o.clipsPerClass ?? 300, { positive: true, max: 1 << 20 }),
    testClipsPerClass: checkInt('testClipsPerClass', o.testClipsPerClass ?? 100, {
      positive: true,
      max: 1 << 20,
    }),
    sampleRate: checkInt('sampleRate', o.sampleRate ?? 16000, { min: 4000, max: 22050 }),
    clipSeconds: checkNumber('clipSeconds', o.clipSeconds ?? 1, { min: 0.25, max: 10 }),
    snrDb: range('snrDb', o.snrDb ?? [0, 30], -20, 100),
    speedWpm: range('speedWpm', o.speedWpm ?? [120, 220], 80, 450),
    pitch: range('pitch', o.pitch ?? [20, 80], 0, 99),
    pitchRange: range('pitchRange', o.pitchRange ?? [20, 80], 0, 99),
    tempo: range('tempo', o.tempo ?? [0.9, 1.1], 0.5, 2),
    gainDb: range('gainDb', o.gainDb ?? [-30, -3], -90, 0),
    trainVariants,
    testVariants,
    accents: [...(o.accents ?? ACCENTS)],
  };
}

/** The cache file's name for a resolved config: the hash covers every input of generation. */
function cacheKey(r: Resolved): string {
  const text = JSON.stringify({ v: KEYWORD_GENERATOR_VERSION, synth: SYNTHESIZER, ...r });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

const SPLITS = ['train', 'test'] as const;
const MAGIC = 'TZKW';

/**
 * A spoken-keyword dataset synthesized with eSpeak NG, deterministic from the seed and cached on
 * disk after the first run. Training session s (s < clipsPerClass) speaks every keyword once, in
 * a random order, with one voice (a variant of the training set, round-robin over a seeded
 * order), one accent, pitch, pitch range and speaking rate; test sessions do the same with the
 * test set's voices. Each word is then cut out, speed-perturbed and resampled to `sampleRate`,
 * scaled to a random peak level, placed at a random offset in a `clipSeconds` window and mixed
 * with white, pink or brown noise at a random SNR. Classes are balanced exactly.
 */
export async function generateKeywordAudio(opts: KeywordAudioOptions = {}): Promise<KeywordAudio> {
  const r = resolveOptions(opts);
  const nSamples = Math.round(r.sampleRate * r.clipSeconds);
  const cacheDir = opts.cacheDir === undefined ? 'runs/cache' : opts.cacheDir;
  const cachePath = cacheDir === null ? null : resolve(cacheDir, `keywords-${cacheKey(r)}.bin`);
  if (cachePath && existsSync(cachePath)) {
    const cached = readCache(cachePath, r, nSamples);
    cached.info.cacheBytes = statSync(cachePath).size;
    return cached;
  }

  const espeak = await Espeak.load();
  const t0 = performance.now();
  const K = r.keywords.length;
  const bar =
    opts.progress === false
      ? undefined
      : progressBar({
          label: 'keywords (espeak-ng)',
          total: r.clipsPerClass + r.testClipsPerClass,
          unit: 'session',
        });
  let fallbackSessions = 0;
  let croppedClips = 0;
  const splits = {} as Record<(typeof SPLITS)[number], KeywordAudioSplit>;
  for (const [splitId, split] of SPLITS.entries()) {
    const sessions = split === 'train' ? r.clipsPerClass : r.testClipsPerClass;
    const variants = split === 'train' ? r.trainVariants : r.testVariants;
    const order = new Rng(sessionSeed(r.seed, splitId, 0xffffff)).permutation(variants.length);
    const n = sessions * K;
    const out: KeywordAudioSplit = {
      n,
      samples: new Int16Array(n * nSamples),
      labels: new Int32Array(n),
      speaker: new Int32Array(n),
    };
    for (let s = 0; s < sessions; s++) {
      const rng = new Rng(sessionSeed(r.seed, splitId, s));
      const speaker = order[s % variants.length]!;
      const accent = r.accents[rng.int(r.accents.length)]!;
      const words = rng.permutation(K);
      const speak = {
        voice: `${accent}+${variants[speaker]}`,
        pitch: Math.round(rng.uniformIn(r.pitch[0], r.pitch[1])),
        pitchRange: Math.round(rng.uniformIn(r.pitchRange[0], r.pitchRange[1])),
        speed: Math.round(rng.uniformIn(r.speedWpm[0], r.speedWpm[1])),
      };
      // One eSpeak run per session: the words as separate sentences with long breaks, split
      // at the silences (about 10× faster than one run per word).
      const ssml = `<speak>${Array.from(words, (w) => `<s>${r.keywords[w]}</s>`).join('<break time="800ms"/>')}</speak>`;
      const audio = await espeak.speak({ ...speak, text: ssml, ssml: true });
      let pieces = soundingSegments(audio.samples, audio.sampleRate).map(([a, b]) =>
        audio.samples.subarray(a, b),
      );
      if (pieces.length !== K) {
        fallbackSessions++;
        pieces = [];
        for (const w of words) {
          const one = await espeak.speak({ ...speak, text: r.keywords[w]! });
          const seg = soundingSegments(one.samples, one.sampleRate, 10);
          const [a, b] = seg[0] ?? [0, one.samples.length];
          pieces.push(one.samples.subarray(a, b));
        }
      }
      for (let j = 0; j < K; j++) {
        const i = s * K + words[j]!;
        const step = (audio.sampleRate / r.sampleRate) * rng.uniformIn(r.tempo[0], r.tempo[1]);
        if (
          placeClip(
            resample(pieces[j]!, step),
            out.samples.subarray(i * nSamples, (i + 1) * nSamples),
            rng,
            r,
          )
        ) {
          croppedClips++;
        }
        out.labels[i] = words[j]!;
        out.speaker[i] = speaker;
      }
      bar?.tick(1, { voice: speak.voice });
    }
    splits[split] = out;
  }
  bar?.done();
  const generationSeconds = (performance.now() - t0) / 1000;
  const result: KeywordAudio = {
    classNames: r.keywords,
    sampleRate: r.sampleRate,
    nSamples,
    train: splits.train,
    test: splits.test,
    voices: { train: r.trainVariants, test: r.testVariants },
    info: { cachePath, fromCache: false, generationSeconds, cacheBytes: 0, fallbackSessions, croppedClips },
  };
  if (cachePath) result.info.cacheBytes = writeCache(cachePath, result, r);
  return result;
}

/** Independent stream per (seed, split, session): changing counts leaves other sessions' clips as they were. */
function sessionSeed(seed: number, split: number, session: number): bigint {
  return (BigInt(seed) << 32n) | (BigInt(split) << 24n) | BigInt(session);
}

/**
 * Scales the word to a random peak level, drops it at a random offset of the window (centre
 * crop if longer), adds coloured noise at a random SNR (measured on the word's samples) and
 * quantises to int16. Returns whether the word had to be cropped.
 */
function placeClip(word: Float32Array, out: Int16Array, rng: Rng, r: Resolved): boolean {
  const W = out.length;
  let peak = 0;
  for (const v of word) peak = Math.max(peak, Math.abs(v));
  const gain = peak > 0 ? 10 ** (rng.uniformIn(r.gainDb[0], r.gainDb[1]) / 20) / peak : 0;
  const cropped = word.length > W;
  const src = cropped ? word.subarray((word.length - W) >> 1, ((word.length - W) >> 1) + W) : word;
  const offset = rng.int(W - src.length + 1);
  const mix = new Float32Array(W);
  let power = 0;
  for (let j = 0; j < src.length; j++) {
    const v = src[j]! * gain;
    mix[offset + j] = v;
    power += v * v;
  }
  power /= Math.max(1, src.length);
  const snr = rng.uniformIn(r.snrDb[0], r.snrDb[1]);
  const colour = NOISE_COLOURS[rng.int(NOISE_COLOURS.length)]!;
  const noise = colouredNoise(W, colour, rng);
  const noiseRms = Math.sqrt(power / 10 ** (snr / 10));
  for (let j = 0; j < W; j++) {
    const v = mix[j]! + noiseRms * noise[j]!;
    out[j] = Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
  }
  return cropped;
}

interface CacheHeader {
  magic: typeof MAGIC;
  version: number;
  config: Resolved;
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
 * spaces to a multiple of 8 bytes, then the int16 samples of train and then test.
 */
function writeCache(path: string, a: KeywordAudio, r: Resolved): number {
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

function readCache(path: string, r: Resolved, nSamples: number): KeywordAudio {
  const bytes = readFileSync(path);
  const fail = (why: string) => new FormatError(`${path}: ${why}; delete the file to regenerate it`);
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC)
    throw fail("expected a 'TZKW' keyword cache");
  const headLen = bytes.readUInt32LE(4);
  let h: CacheHeader;
  try {
    h = JSON.parse(bytes.toString('utf8', 8, 8 + headLen)) as CacheHeader;
  } catch (err) {
    throw new FormatError(`${path}: unreadable header; delete the file to regenerate it`, { cause: err });
  }
  if (h.version !== KEYWORD_GENERATOR_VERSION || JSON.stringify(h.config) !== JSON.stringify(r)) {
    throw fail('header does not match the requested config');
  }
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

/** Where `generateKeywordAudio` caches a config (for reports and cleanup). */
export function keywordCachePath(opts: KeywordAudioOptions = {}): string {
  return resolve(opts.cacheDir ?? 'runs/cache', `keywords-${cacheKey(resolveOptions(opts))}.bin`);
}
