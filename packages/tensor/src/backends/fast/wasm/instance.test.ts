import { afterEach, describe, expect, it, vi } from 'vitest';

/** The parts of the runtime's WebAssembly used here (the DOM lib is not in this package's types). */
interface RealWasm {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  Instance: unknown;
}
const real = (globalThis as unknown as { WebAssembly: RealWasm }).WebAssembly;

// A browser's WebAssembly as instance.ts sees it: the synchronous compile refused (main thread,
// module over 4 KB), the asynchronous one either allowed or refused by a Content-Security-Policy.
function fakeWasm(asyncCompile: (bytes: Uint8Array) => Promise<object>) {
  return {
    validate: (bytes: Uint8Array) => real.validate(bytes),
    Module: class {
      constructor() {
        throw new RangeError('WebAssembly.Module(): buffer size is larger than 4 KB on the main thread');
      }
    },
    Instance: real.Instance,
    compile: asyncCompile,
  };
}

async function loadInstance(wasm: object) {
  vi.resetModules();
  vi.stubGlobal('WebAssembly', wasm);
  return import('./instance.js');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('WebAssembly kernel loading', () => {
  it('warns once, naming wasm-unsafe-eval, when the compile is refused, and runs the TypeScript kernels', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const refusal = new Error(
      "WebAssembly.compile(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source of script",
    );
    const { gemmWasm, isWasmSimdAvailable } = await loadInstance(fakeWasm(() => Promise.reject(refusal)));
    expect(isWasmSimdAvailable()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(isWasmSimdAvailable()).toBe(false);
    expect(gemmWasm()).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]![0]);
    expect(message).toContain('@tenzo/tensor');
    expect(message).toContain('Refused to compile');
    expect(message).toContain('TypeScript kernels');
    expect(message).toContain("'wasm-unsafe-eval'");
  });

  it('takes the asynchronously compiled module over without a warning where the compile is allowed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { gemmWasm, isWasmSimdAvailable } = await loadInstance(fakeWasm((bytes) => real.compile(bytes)));
    expect(isWasmSimdAvailable()).toBe(false);
    for (let i = 0; i < 100 && !isWasmSimdAvailable(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(isWasmSimdAvailable()).toBe(true);
    expect(typeof gemmWasm()?.dgemm).toBe('function');
    expect(warn).not.toHaveBeenCalled();
  });
});
