import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  anyNumber,
  anySize,
  apiCase,
  describePublicApi,
  type FileMutation,
  junk,
  mutatedBytes,
  mutatedText,
  TempFiles,
} from '@tenzo/core/testing';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { decodeWav, encodePcm16Wav, parseCsv } from './index.js';
import { resolveKeywordOptions } from './keywords/keywordAudio.js';
import * as N from './node.js';
import { GPT2_BYTE_TO_CHAR } from './text/gpt2Bpe.js';

// Node entry of @tenzo/data: every loader reads files generated here (valid, then truncated,
// overwritten, with wrong headers and huge declared sizes) and gets options of every wrong type.

const tmp = new TempFiles('tenzo-data-fuzz-');
afterAll(() => tmp.remove());
const enc = (s: string) => new TextEncoder().encode(s);

/** A canonical 16-bit PCM WAVE file of `n` samples at `rate`. */
function wav(n: number, rate: number): Uint8Array {
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(b.length - 8, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(2 * n, 40);
  for (let j = 0; j < n; j++) b.writeInt16LE(Math.round(8000 * Math.sin(j / 3)), 44 + 2 * j);
  return new Uint8Array(b);
}
const WAV = wav(400, 8000);
const wavMut = mutatedBytes(WAV, [
  { offset: 4, width: 4 },
  { offset: 16, width: 4 },
  { offset: 22, width: 2 },
  { offset: 24, width: 4 },
  { offset: 32, width: 2 },
  { offset: 34, width: 2 },
  { offset: 40, width: 4 },
]);

const finite01 = (a: ArrayLike<number>) => {
  for (let i = 0; i < a.length; i++) if (!(a[i]! >= 0 && a[i]! <= 1)) return false;
  return true;
};
const finiteAll = (a: ArrayLike<number>) => {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
};
/** An options object: junk, or a record whose fields are junk or plausible. */
const opts = <T>(fields: { [K in keyof T]: fc.Arbitrary<unknown> }): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 1, arbitrary: junk.filter((j) => j !== undefined) },
    {
      weight: 4,
      arbitrary: fc.record(fields as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] }),
    },
  );

// MNIST: ten JSON files, one digit each
const DIGIT = JSON.stringify({ data: Array.from({ length: 784 }, (_, i) => (i % 7) / 7) });
// CIFAR-10: three records in test_batch.bin, class names in batches.meta.txt
const CIFAR = Uint8Array.from({ length: 3 * 3073 }, (_, i) => (i % 3073 === 0 ? (i / 3073) % 10 : i % 251));
const META = `${N.CIFAR10_CLASSES.join('\n')}\n`;
// GPT-2 BPE: the 256 byte characters and two merges
const VOCAB = JSON.stringify(
  Object.fromEntries([...GPT2_BYTE_TO_CHAR.map((c, b) => [c, b] as const), ['he', 256], ['Ġt', 257]]),
);
const MERGES = '#version: 0.2\nh e\nĠ t\n';
const US_CSV =
  'slice_file_name,fsID,start,end,salience,fold,classID,class\n' +
  'a.wav,1,0,1,1,1,3,dog_bark\nb.wav,2,0,1,1,2,5,engine_idling\nc.wav,3,0,1,1,1,3,dog_bark\n';

/** The valid files of a case, with the one under test replaced by its mutation. */
function folder(files: Record<string, Uint8Array | string>, name: string, m: FileMutation): string {
  const dir = tmp.dir();
  for (const [f, content] of Object.entries(files)) tmp.write(dir, f, f === name ? m.bytes : content);
  return dir;
}

const clipOk = (r: unknown): boolean => {
  const d = r as N.LoadSpeechCommandsOptions & {
    classNames: string[];
    nSamples: number;
    itemShape: number[];
    splits: Record<string, { n: number; x: Float32Array; labels: Int32Array; files: string[] }>;
  };
  const size = d.itemShape.reduce((a, b) => a * b, 1);
  return Object.values(d.splits).every(
    (s) =>
      s.x.length === s.n * size &&
      s.labels.length === s.n &&
      s.files.length === s.n &&
      finiteAll(s.x) &&
      [...s.labels].every((l) => l >= 0 && l < d.classNames.length),
  );
};

const R = resolveKeywordOptions({
  keywords: ['yes', 'no'],
  clipsPerClass: 1,
  testClipsPerClass: 1,
  sampleRate: 4000,
  clipSeconds: 0.25,
  synthesizer: { id: 'fuzz', voices: { train: ['a'], test: ['b'], accents: [] } } as never,
});
const KW_SAMPLES = 1000;
function keywordCacheBytes(): Uint8Array {
  const path = join(tmp.dir(), 'kw.bin');
  const split = (labels: number[]) => ({
    n: 2,
    samples: Int16Array.from({ length: 2 * KW_SAMPLES }, (_, i) => i % 100),
    labels: Int32Array.from(labels),
    speaker: new Int32Array(2),
  });
  N.writeKeywordCache(
    path,
    {
      classNames: R.keywords,
      sampleRate: R.sampleRate,
      nSamples: KW_SAMPLES,
      train: split([0, 1]),
      test: split([1, 0]),
      voices: { train: R.trainVariants, test: R.testVariants },
      info: {
        cachePath: null,
        fromCache: false,
        generationSeconds: 1,
        cacheBytes: 0,
        fallbackSessions: 0,
        croppedClips: 0,
      },
    },
    R,
  );
  return new Uint8Array(readFileSync(path));
}
const KW = keywordCacheBytes();
/** A loaded corpus: its train and validation text, and some text in all */
const corpusOk = (r: unknown) => {
  const c = r as { train: unknown; validation: unknown };
  return (
    typeof c.train === 'string' &&
    typeof c.validation === 'string' &&
    c.train.length + c.validation.length > 0
  );
};
/** Token ids of a corpus: Int32Arrays with every id in [0, vocabSize) */
const tokensOk = (r: unknown) => {
  const c = r as N.CorpusTokens;
  const inRange = (t: Int32Array) => t instanceof Int32Array && t.every((x) => x >= 0 && x < c.vocabSize);
  return Number.isInteger(c.vocabSize) && inRange(c.train) && inRange(c.validation);
};
const BIN16 = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 200);
const INTACT: FileMutation = { kind: 'intact', bytes: new Uint8Array() };
const corpusOpts = <T>(extra: { [K in keyof T]: fc.Arbitrary<unknown> }) =>
  opts<{ dir: unknown; maxDocuments: unknown; validationEvery: unknown } & T>({
    dir: fc.oneof(junk, fc.constant('/nonexistent-tenzo')),
    maxDocuments: anySize,
    validationEvery: anySize,
    ...extra,
  } as never);

describePublicApi(
  '@tenzo/data/node',
  [
    apiCase({
      name: 'loadMnist(file)',
      args: fc.tuple(fc.integer({ min: 0, max: 9 }), mutatedText(DIGIT)),
      call: (c, m) => {
        const files = Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`${k}.json`, DIGIT]));
        return N.loadMnist({ dir: folder(files, `${c}.json`, m) });
      },
      ok: (r) => {
        const d = r as N.MnistDataset;
        return (
          d.images.length === d.n * 784 &&
          d.labels.length === d.n &&
          d.n >= 10 &&
          finite01(d.images) &&
          d.labels.every((l) => l < 10)
        );
      },
      runs: 150,
    }),
    apiCase({
      name: 'loadMnist(options)',
      args: fc.tuple(
        fc.oneof(
          junk.filter((j) => j !== undefined && typeof j !== 'object'),
          fc.record({
            dir: fc.oneof(
              junk.filter((j) => j != null), // a null dir would load the installed package
              fc.constant('/nonexistent-tenzo'),
            ),
          }),
        ),
      ),
      call: (o) => N.loadMnist(o as N.LoadMnistOptions),
      valid: () => false, // no valid folder is ever generated here
      runs: 40,
    }),
    apiCase({
      name: 'loadCifar(test_batch.bin)',
      args: fc.tuple(
        mutatedBytes(CIFAR, [
          { offset: 0, width: 4 },
          { offset: 3073, width: 4 },
        ]),
      ),
      call: (m) =>
        N.loadCifar({
          dir: folder({ 'test_batch.bin': CIFAR, 'batches.meta.txt': META }, 'test_batch.bin', m),
          variant: 10,
          split: 'test',
        }),
      ok: (r) => {
        const d = r as N.CifarDataset;
        return (
          d.images.length === d.n * 3072 &&
          d.labels.length === d.n &&
          d.n * 3073 === 3 * 3073 &&
          finite01(d.images) &&
          d.labels.every((l) => l < 10) &&
          d.classNames.length === 10
        );
      },
      runs: 120,
    }),
    apiCase({
      name: 'loadCifar(batches.meta.txt)',
      args: fc.tuple(mutatedText(META)),
      call: (m) =>
        N.loadCifar({
          dir: folder({ 'test_batch.bin': CIFAR, 'batches.meta.txt': META }, 'batches.meta.txt', m),
          variant: 10,
          split: 'test',
        }),
      ok: (r) => {
        const d = r as N.CifarDataset;
        return (
          d.n === 3 &&
          d.classNames.length === 10 &&
          new Set(d.classNames).size === 10 &&
          d.classNames.every((c) => c.length > 0)
        );
      },
      runs: 60,
    }),
    apiCase({
      name: 'loadCifar(options)',
      args: fc.tuple(
        opts<N.LoadCifarOptions>({
          dir: fc.oneof(junk, fc.constant('DIR')),
          variant: fc.oneof(junk, fc.constantFrom(10, 100, 0, '10')),
          split: fc.oneof(junk, fc.constantFrom('train', 'test')),
          labels: fc.oneof(junk, fc.constantFrom('fine', 'coarse')),
        }),
      ),
      call: (o) => {
        const dir = folder({ 'test_batch.bin': CIFAR, 'test.bin': new Uint8Array(3074 * 2) }, '', {
          kind: 'intact',
          bytes: new Uint8Array(),
        });
        const given =
          o !== null && typeof o === 'object' && (o as { dir?: unknown }).dir === 'DIR'
            ? { ...(o as object), dir }
            : o;
        return N.loadCifar(given as N.LoadCifarOptions);
      },
      ok: (r) => {
        const d = r as N.CifarDataset;
        return (
          d.images.length === d.n * 3072 &&
          d.n > 0 &&
          finite01(d.images) &&
          d.labels.every((l) => l < d.classNames.length)
        );
      },
      runs: 80,
    }),
    apiCase({
      name: 'cifarFiles',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom(10, 100)),
        fc.oneof(junk, fc.constantFrom('train', 'test')),
      ),
      call: (v, s) => N.cifarFiles(v as 10, s as 'test'),
      ok: (r, [v, s]) => Array.isArray(r) && r.length === (v === 10 && s === 'train' ? 5 : 1),
      valid: (v, s) => (v === 10 || v === 100) && (s === 'train' || s === 'test'),
      runs: 30,
    }),
    apiCase({
      name: 'loadTokenFile',
      args: fc.tuple(
        mutatedBytes(Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 200)),
        fc.oneof(
          junk.filter((j) => j !== undefined),
          fc.record(
            {
              dtype: fc.oneof(junk, fc.constantFrom('uint16', 'uint32', 'int8')),
              vocabSize: fc.oneof(anySize, fc.constantFrom(60000, 2 ** 31, 2 ** 32)),
            },
            { requiredKeys: [] },
          ),
        ),
      ),
      call: (m, o) =>
        N.loadTokenFile(tmp.write(tmp.dir(), 'train.bin', m.bytes), o as N.LoadTokenFileOptions),
      ok: (r, [m, o]) => {
        const t = r as Int32Array;
        const item = (o as N.LoadTokenFileOptions).dtype === 'uint32' ? 4 : 2;
        const vocab = (o as N.LoadTokenFileOptions).vocabSize ?? 2 ** 31;
        return (
          t instanceof Int32Array && t.length * item === m.bytes.length && t.every((x) => x >= 0 && x < vocab)
        );
      },
      runs: 120,
    }),
    apiCase({
      name: 'loadTokenFile(path)',
      args: fc.tuple(fc.oneof(junk, fc.constantFrom('', '/', '/nonexistent-tenzo/train.bin', '\u0000'))),
      call: (p) => N.loadTokenFile(tmp.under(p) as string),
      valid: () => false,
      runs: 30,
    }),
    apiCase({
      name: 'loadTextCorpus(file)',
      args: fc.tuple(mutatedText('one line\nsecond line\n'), fc.oneof(anyNumber, fc.constant(0.5))),
      call: (m, f) =>
        N.loadTextCorpus({
          dir: folder({ 'a.txt': 'alpha text\n', 'b.txt': 'beta\n', 'c.txt': '' }, 'c.txt', m),
          seed: 1,
          validationFraction: f as number,
        }),
      ok: (r) => {
        const c = r as { train: string; validation: string };
        return typeof c.train === 'string' && typeof c.validation === 'string';
      },
      runs: 100,
    }),
    apiCase({
      name: 'loadTextCorpus(options)',
      args: fc.tuple(
        opts<{
          paths: unknown;
          dir: unknown;
          glob: unknown;
          cwd: unknown;
          extensions: unknown;
          seed: unknown;
          name: unknown;
        }>({
          paths: fc.oneof(junk, fc.constant(['/nonexistent-tenzo/a.txt']), fc.constant([1])),
          dir: fc.oneof(junk, fc.constant('/nonexistent-tenzo')),
          glob: fc.oneof(junk, fc.constantFrom('**', '[', '/nonexistent-tenzo/*.txt')),
          cwd: junk,
          extensions: fc.oneof(junk, fc.constant(['txt']), fc.constant([1])),
          seed: fc.oneof(junk, anyNumber),
          name: junk,
        }),
      ),
      call: (o) => N.loadTextCorpus(o as N.LoadTextCorpusOptions),
      valid: () => false,
      runs: 80,
    }),
    apiCase({
      name: 'loadCorpusTokens(train.bin, val.bin)',
      args: fc.tuple(
        fc.constantFrom('train.bin', 'val.bin'),
        mutatedBytes(Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 200)),
      ),
      call: (which, m) =>
        N.loadCorpusTokens(folder({ 'train.bin': BIN16, 'val.bin': BIN16.subarray(0, 16) }, which, m)),
      ok: tokensOk,
      runs: 80,
    }),
    apiCase({
      name: 'loadCorpusTokens(glob of text)',
      args: fc.tuple(mutatedText('one line\nsecond line\n'), fc.constantFrom('char', 'byte', 'bpe')),
      call: (m, tokenizer) =>
        N.loadCorpusTokens(
          join(folder({ 'a.txt': 'alpha text\n', 'b.txt': 'beta\n' }, 'b.txt', m), '*.txt'),
          {
            tokenizer: tokenizer as 'char',
            bpeVocab: 260,
          },
        ),
      ok: tokensOk,
      runs: 60,
    }),
    apiCase({
      name: 'resolveCorpus / loadCorpusTokens(spec, options)',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom('', 'TEXTDIR', '/nonexistent-tenzo', '/nonexistent-tenzo/*.txt', '[')),
        opts<{
          flag: unknown;
          tokenizerFlag: unknown;
          tokenizer: unknown;
          bpeVocab: unknown;
          validationFraction: unknown;
          seed: unknown;
          vocabSize: unknown;
        }>({
          flag: junk,
          tokenizerFlag: junk,
          tokenizer: fc.oneof(
            junk,
            fc.constantFrom('char', 'bpe', 'gpt2:', 'gpt2:/nonexistent-tenzo', 'words'),
          ),
          bpeVocab: anySize,
          validationFraction: anyNumber,
          seed: fc.oneof(junk, anyNumber),
          vocabSize: anySize,
        }),
        fc.boolean(),
      ),
      call: (spec, o, tokens) => {
        const s = spec === 'TEXTDIR' ? folder({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n' }, '', INTACT) : spec;
        return tokens
          ? N.loadCorpusTokens(s as string, o as N.LoadCorpusTokensOptions)
          : N.resolveCorpus(s as string, o as N.ResolveCorpusOptions);
      },
      ok: (r, [, , tokens]) =>
        tokens
          ? tokensOk(r)
          : (r as N.ResolvedCorpus).kind === 'text' && corpusOk((r as { corpus: unknown }).corpus),
      runs: 120,
    }),
    apiCase({
      name: 'loadGpt2BpeTokenizer(vocab.json)',
      args: fc.tuple(mutatedText(VOCAB), fc.constantFrom('vocab.json', 'merges.txt')),
      call: (m, which) => {
        const dir = folder(
          { 'vocab.json': VOCAB, 'merges.txt': MERGES },
          which,
          which === 'vocab.json' ? m : { kind: m.kind, bytes: m.bytes.length > 40 ? enc(MERGES) : m.bytes },
        );
        const tok = N.loadGpt2BpeTokenizer({
          vocab: join(dir, 'vocab.json'),
          merges: join(dir, 'merges.txt'),
        });
        return tok.decode(tok.encode('the hen'));
      },
      ok: (r) => r === 'the hen',
      runs: 100,
    }),
    apiCase({
      name: 'loadGpt2BpeTokenizer(merges.txt)',
      args: fc.tuple(mutatedText(MERGES)),
      call: (m) => {
        const dir = folder({ 'vocab.json': VOCAB, 'merges.txt': MERGES }, 'merges.txt', m);
        const tok = N.loadGpt2BpeTokenizer({
          vocab: join(dir, 'vocab.json'),
          merges: join(dir, 'merges.txt'),
        });
        return tok.decode(tok.encode('the hen'));
      },
      ok: (r) => r === 'the hen',
      runs: 60,
    }),
    apiCase({
      name: 'loadGpt2BpeTokenizer(tokenizer.json)',
      args: fc.tuple(
        mutatedText(
          JSON.stringify({ model: { type: 'BPE', vocab: JSON.parse(VOCAB), merges: ['h e', 'Ġ t'] } }),
        ),
      ),
      call: (m) => {
        const tok = N.loadGpt2BpeTokenizer({
          tokenizerJson: tmp.write(tmp.dir(), 'tokenizer.json', m.bytes),
        });
        return tok.decode(tok.encode('the hen'));
      },
      ok: (r) => r === 'the hen',
      runs: 60,
    }),
    apiCase({
      name: 'loadGpt2BpeTokenizer(files)',
      args: fc.tuple(
        opts<{ vocab: unknown; merges: unknown; tokenizerJson: unknown }>({
          vocab: junk,
          merges: junk,
          tokenizerJson: junk,
        }),
      ),
      call: (f) => N.loadGpt2BpeTokenizer(f as N.Gpt2BpeFiles),
      valid: () => false,
      runs: 40,
    }),
    apiCase({
      name: 'loadSpeechCommands(files)',
      args: fc.tuple(
        fc.constantFrom('yes/a.wav', 'no/b.wav', 'validation_list.txt', 'testing_list.txt'),
        wavMut,
        mutatedText('yes/c.wav\n'),
      ),
      call: (which, w, t) => {
        const files = {
          'yes/a.wav': WAV,
          'yes/c.wav': WAV,
          'no/b.wav': WAV,
          'validation_list.txt': 'yes/c.wav\n',
          'testing_list.txt': 'no/b.wav\n',
        };
        const dir = folder(files, which, which.endsWith('.wav') ? w : t);
        return N.loadSpeechCommands({ dir, sampleRate: 8000, seconds: 0.05 });
      },
      ok: clipOk,
      runs: 160,
    }),
    apiCase({
      name: 'loadSpeechCommands(options)',
      args: fc.tuple(
        opts<{ dir: unknown; labels: unknown; sampleRate: unknown; seconds: unknown; features: unknown }>({
          dir: fc.oneof(junk, fc.constant('DIR')),
          labels: fc.oneof(
            junk,
            fc.constant(['yes']),
            fc.constant(['yes', 'yes']),
            fc.constant(['../x']),
            fc.constant([1]),
          ),
          sampleRate: anySize,
          seconds: anyNumber,
          features: fc.oneof(
            junk,
            fc.record({
              kind: fc.constantFrom('logmel', 'mfcc', 'x'),
              nFft: anySize,
              winLength: anySize,
              hop: anySize,
              nMels: anySize,
            }),
          ),
        }),
      ),
      call: (o) => {
        const dir = folder({ 'yes/a.wav': WAV, 'validation_list.txt': '', 'testing_list.txt': '' }, '', {
          kind: 'intact',
          bytes: new Uint8Array(),
        });
        const given =
          o !== null && typeof o === 'object' && (o as { dir?: unknown }).dir === 'DIR'
            ? { ...(o as object), dir }
            : o;
        return N.loadSpeechCommands(given as N.LoadSpeechCommandsOptions);
      },
      ok: clipOk,
      runs: 100,
    }),
    apiCase({
      name: 'loadUrbanSound8K(files)',
      args: fc.tuple(
        fc.constantFrom('metadata/UrbanSound8K.csv', 'audio/fold1/a.wav', 'audio/fold2/b.wav'),
        wavMut,
        mutatedText(US_CSV),
        fc.constantFrom(1, 2, 3),
      ),
      call: (which, w, t, fold) => {
        const files = {
          'metadata/UrbanSound8K.csv': US_CSV,
          'audio/fold1/a.wav': WAV,
          'audio/fold2/b.wav': WAV,
          'audio/fold1/c.wav': WAV,
        };
        const dir = folder(files, which, which.endsWith('.wav') ? w : t);
        return N.loadUrbanSound8K({ dir, testFold: fold, sampleRate: 8000, seconds: 0.05 });
      },
      ok: clipOk,
      runs: 140,
    }),
    apiCase({
      name: 'loadUrbanSound8K(options)',
      args: fc.tuple(
        opts<{ dir: unknown; testFold: unknown; sampleRate: unknown; seconds: unknown }>({
          dir: junk,
          testFold: anySize,
          sampleRate: anySize,
          seconds: anyNumber,
        }),
      ),
      call: (o) => N.loadUrbanSound8K(o as N.LoadUrbanSound8KOptions),
      valid: () => false,
      runs: 40,
    }),
    apiCase({
      name: 'decodeWav',
      args: fc.tuple(
        fc.oneof({ weight: 6, arbitrary: wavMut.map((m) => m.bytes) }, { weight: 1, arbitrary: junk }),
      ),
      call: (b) => decodeWav(b as Uint8Array),
      ok: (r) => {
        const a = r as { sampleRate: number; channels: Float32Array[] };
        return (
          Number.isInteger(a.sampleRate) &&
          a.sampleRate > 0 &&
          a.channels.length > 0 &&
          a.channels.every((c) => c.length === a.channels[0]!.length && finiteAll(c))
        );
      },
      runs: 150,
    }),
    apiCase({
      name: 'encodePcm16Wav',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.constant(Float32Array.of(0, 0.5, -2)),
          fc.constant(Float32Array.of(0.1, Number.NaN)),
        ),
        fc.oneof(junk, anySize),
      ),
      call: (x, rate) => encodePcm16Wav(x as Float32Array, rate as number),
      valid: (x, rate) =>
        x instanceof Float32Array &&
        x.every(Number.isFinite) &&
        Number.isInteger(rate) &&
        (rate as number) > 0,
      ok: (r, [x, rate]) => {
        const w = decodeWav(r as Uint8Array);
        return w.sampleRate === rate && w.length === (x as Float32Array).length;
      },
      runs: 60,
    }),
    apiCase({
      name: 'speechCommandsHashSplit',
      args: fc.tuple(fc.oneof(junk, fc.string({ maxLength: 20 }))),
      call: (f) => N.speechCommandsHashSplit(f as string),
      valid: (f) => typeof f === 'string',
      ok: (r) => r === 'train' || r === 'validation' || r === 'test',
      runs: 40,
    }),
    apiCase({
      name: 'resolveAudioData(spec, options)',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom('', 'SCDIR', 'synthetic', 'keywords', '/nonexistent-tenzo')),
        opts<{
          flag: unknown;
          testFold: unknown;
          sampleRate: unknown;
          features: unknown;
          seed: unknown;
          keywords: unknown;
        }>({
          flag: junk,
          testFold: anySize,
          sampleRate: anySize,
          features: fc.oneof(junk, fc.constantFrom('logmel', 'mfcc')),
          seed: fc.oneof(junk, anySize),
          keywords: junk,
        }),
      ),
      call: (spec, o) => {
        const files = {
          'yes/a.wav': WAV,
          'no/b.wav': WAV,
          'validation_list.txt': '',
          'testing_list.txt': 'no/b.wav\n',
        };
        const s = spec === 'SCDIR' ? folder(files, '', INTACT) : spec;
        return N.resolveAudioData(s as string, o as N.ResolveAudioDataOptions);
      },
      ok: (r) => {
        const d = r as N.ResolvedAudioData;
        return (
          d.train.n > 0 &&
          d.test.n > 0 &&
          finiteAll(d.train.x) &&
          d.train.x.length === d.train.n * d.frames * d.features
        );
      },
      runs: 80,
    }),
    apiCase({
      name: 'parseCsv',
      args: fc.tuple(
        fc.oneof(
          { weight: 5, arbitrary: mutatedText(US_CSV).map((m) => Buffer.from(m.bytes).toString('utf8')) },
          { weight: 1, arbitrary: junk },
        ),
        fc.oneof(fc.constant('x.csv'), junk),
      ),
      call: (t, s) => parseCsv(t as string, s as string),
      ok: (r) =>
        Array.isArray(r) &&
        r.every(
          (row) =>
            Array.isArray(row) &&
            row.length === (r as string[][])[0]!.length &&
            row.every((f) => typeof f === 'string'),
        ),
      runs: 100,
    }),
    apiCase({
      name: 'readKeywordCache',
      args: fc.tuple(mutatedBytes(KW, [{ offset: 4, width: 4 }])),
      call: (m) => N.readKeywordCache(tmp.write(tmp.dir(), 'kw.bin', m.bytes), R, KW_SAMPLES),
      ok: (r) => {
        const a = r as {
          train: { n: number; samples: Int16Array; labels: Int32Array };
          test: { n: number; samples: Int16Array };
        };
        return (
          a.train.n === 2 &&
          a.test.n === 2 &&
          a.train.samples.length === 2 * KW_SAMPLES &&
          a.train.labels.every((l) => l === 0 || l === 1)
        );
      },
      runs: 100,
    }),
    apiCase({
      name: 'readKeywordCache(arguments)',
      args: fc.tuple(
        fc.oneof(junk, fc.constant('/nonexistent-tenzo/kw.bin')),
        fc.oneof(junk, fc.constant(R)),
        anySize,
      ),
      call: (p, r, n) => N.readKeywordCache(p as string, r as typeof R, n as number),
      valid: () => false,
      runs: 40,
    }),
    apiCase({
      name: 'keywordCachePath',
      args: fc.tuple(
        opts<{ keywords: unknown; synthesizer: unknown; cacheDir: unknown; seed: unknown }>({
          keywords: fc.oneof(junk, fc.constant(['yes', 'no'])),
          synthesizer: fc.oneof(
            junk,
            fc.constant({ id: 'x', voices: { train: ['a'], test: ['b'], accents: [] } }),
          ),
          cacheDir: junk,
          seed: anyNumber,
        }),
      ),
      call: (o) => N.keywordCachePath(o as never),
      ok: (r) => typeof r === 'string' && r.endsWith('.bin'),
      runs: 60,
    }),
    apiCase({
      name: 'generateKeywordAudio',
      args: fc.tuple(
        opts<{ synthesizer: unknown; cacheDir: unknown; clipsPerClass: unknown }>({
          synthesizer: junk,
          cacheDir: junk,
          clipsPerClass: anySize,
        }),
      ),
      call: (o) => N.generateKeywordAudio(o as never),
      valid: () => false,
      runs: 30,
    }),
    apiCase({
      name: 'loadBrownCorpus',
      args: fc.tuple(corpusOpts({})),
      call: (o) => N.loadBrownCorpus(o as never),
      ok: corpusOk,
      runs: 30,
    }),
    apiCase({
      name: 'loadBrownCorpus(files)',
      args: fc.tuple(mutatedText('The/at jury/nn said/vbd ./.\n\n\tIt/pps was/bedz ./.\n'), anySize),
      call: (m, max) => {
        const dir = folder({ ca01: 'A/at b/nn ./.\n', ca02: '', cb01: 'C/nn ./.\n' }, 'ca02', m);
        return N.loadBrownCorpus({ dir, maxDocuments: max as number, validationEvery: 2 });
      },
      ok: corpusOk,
      runs: 60,
    }),
    apiCase({
      name: 'loadTypeScriptLibCorpus',
      args: fc.tuple(corpusOpts<{ includeDom: unknown }>({ includeDom: junk })),
      call: (o) => N.loadTypeScriptLibCorpus(o as never),
      ok: corpusOk,
      runs: 30,
    }),
  ],
  { hangMs: 5000 },
);
