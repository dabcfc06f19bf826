import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { progressBar } from '@tenzo/cli/node';
import { checkInt, FormatError, StateError } from '@tenzo/core';
import {
  decodeWav,
  ESPEAK_VOICES,
  type KeywordDataset,
  type KeywordSynthesizer,
  type SpokenAudio,
} from '@tenzo/data';
import { type KeywordDatasetOptions, loadKeywordDataset } from '@tenzo/data/node';
import ESpeakNg from 'espeak-ng';

// WebAssembly's types live in the DOM lib, which tenzo's Node config leaves out: the two calls used.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: unknown) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The synthesizer package and version; part of the dataset cache key. */
export const SYNTHESIZER = 'espeak-ng@1.0.2';

export interface SpeakOptions {
  /** text, or SSML when `ssml` is set */
  text: string;
  /** eSpeak NG voice, optionally with a variant: 'en-us', 'en-gb-scotland+f3' */
  voice: string;
  /** base pitch 0–99 (eSpeak's -p, default 50) */
  pitch?: number;
  /** pitch range 0–99 (-P, default 50): how much the intonation moves */
  pitchRange?: number;
  /** words per minute 80–450 (-s, default 175) */
  speed?: number;
  /** amplitude 0–200 (-a, default 100) */
  amplitude?: number;
  /** interpret SSML markup (-m) */
  ssml?: boolean;
}

/**
 * eSpeak NG (formant synthesis, GPL-3.0-or-later) from the `espeak-ng` npm package: an Emscripten
 * build of the command-line program, its voice data compiled into the WebAssembly file, so it
 * runs in Node without network access or native binaries. Each call runs the program once in a
 * fresh instance (the build exports no reusable API); the WebAssembly module is compiled once.
 * Output is mono 16-bit at 22,050 Hz. `-D` makes eSpeak's own randomness deterministic.
 */
export class Espeak {
  private constructor(private readonly module: object) {}

  static async load(): Promise<Espeak> {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('espeak-ng/dist/espeak-ng.wasm');
    return new Espeak(await wasm.compile(readFileSync(wasmPath)));
  }

  async speak(opts: SpeakOptions): Promise<SpokenAudio> {
    const args = ['-D', '-w', 'out.wav', '-v', opts.voice];
    if (opts.pitch !== undefined) args.push('-p', String(checkInt('pitch', opts.pitch, { max: 99 })));
    if (opts.pitchRange !== undefined)
      args.push('-P', String(checkInt('pitchRange', opts.pitchRange, { max: 99 })));
    if (opts.speed !== undefined)
      args.push('-s', String(checkInt('speed', opts.speed, { min: 80, max: 450 })));
    if (opts.amplitude !== undefined) {
      args.push('-a', String(checkInt('amplitude', opts.amplitude, { max: 200 })));
    }
    if (opts.ssml) args.push('-m');
    args.push(opts.text);
    const errors: string[] = [];
    let status = 0;
    const module = this.module;
    const instance = await ESpeakNg({
      arguments: args,
      print: () => {},
      printErr: (line) => errors.push(line),
      // The default quit handler sets process.exitCode; keep the host process's status ours.
      quit: (code, toThrow) => {
        status = code;
        throw toThrow;
      },
      instantiateWasm: (imports, done) => {
        const inst = new wasm.Instance(module, imports);
        done(inst, module);
        return inst.exports;
      },
    });
    let bytes: Uint8Array;
    try {
      bytes = instance.FS.readFile('out.wav');
    } catch {
      throw new StateError(
        `espeak-ng: no audio for voice ${opts.voice} (exit ${status}): ${errors.join(' | ')}`,
      );
    }
    const audio = decodeWav(bytes);
    if (audio.channels.length !== 1 || audio.bitsPerSample !== 16)
      throw new FormatError(
        `espeak-ng: expected mono 16-bit PCM, got ${audio.channels.length} channels, ${audio.bitsPerSample} bits`,
      );
    return { samples: audio.channels[0]!, sampleRate: audio.sampleRate };
  }
}

/** eSpeak NG as the keyword dataset's synthesizer (`@tenzo/data`), loaded on first use. */
export function espeakSynthesizer(): KeywordSynthesizer {
  let engine: Promise<Espeak> | null = null;
  return {
    id: SYNTHESIZER,
    voices: ESPEAK_VOICES,
    speak: async (request) => (await (engine ??= Espeak.load())).speak(request),
  };
}

/**
 * `@tenzo/data/node`'s `loadKeywordDataset` spoken by eSpeak NG (generated once, cached under
 * `cacheDir`, default runs/cache), with a progress bar on stderr while it synthesizes.
 */
export function loadEspeakKeywords(
  opts: Omit<KeywordDatasetOptions, 'synthesizer'> & { progress?: boolean } = {},
): Promise<KeywordDataset> {
  const { progress = true, ...rest } = opts;
  let bar: ReturnType<typeof progressBar> | undefined;
  const onSession = (done: number, total: number, voice: string) => {
    bar ??= progressBar({ label: 'keywords (espeak-ng)', total, unit: 'session' });
    bar.tick(1, { voice });
    if (done === total) bar.done();
  };
  return loadKeywordDataset({
    ...rest,
    synthesizer: espeakSynthesizer(),
    ...(progress ? { onSession } : {}),
  });
}
