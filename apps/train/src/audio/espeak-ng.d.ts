// The espeak-ng package (an Emscripten build of the eSpeak NG command-line program) ships no
// types; this is the part of its module factory that tenzo uses.
declare module 'espeak-ng' {
  interface ESpeakNgModule {
    FS: { readFile(path: string): Uint8Array; unlink(path: string): void };
  }
  interface ESpeakNgOptions {
    arguments: string[];
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    quit?: (status: number, toThrow: unknown) => void;
    // WebAssembly's types live in the DOM lib, which tenzo's Node config leaves out.
    instantiateWasm?: (imports: unknown, done: (instance: unknown, module: unknown) => void) => unknown;
  }
  const ESpeakNg: (options: ESpeakNgOptions) => Promise<ESpeakNgModule>;
  export default ESpeakNg;
}
