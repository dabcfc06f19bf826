import { readFileSync } from 'node:fs';
import { BackendError } from '@tenzo/core';
import { describe, expect, it, vi } from 'vitest';
import * as copyA from './index.js';
import { TENSOR_PACKAGE_VERSION } from './sharedState.js';

/** A second, separately loaded instance of this package's module graph (as with a duplicate install). */
async function secondCopy(): Promise<typeof copyA> {
  vi.resetModules();
  const again = './index.js?copy';
  return (await import(/* @vite-ignore */ again)) as typeof copyA;
}

describe('two copies of @tenzo/tensor in one process', () => {
  it('share tensors, the backend choice, kernels and gradients', async () => {
    const copyB = await secondCopy();
    expect(copyB.Tensor).not.toBe(copyA.Tensor);
    const a = copyA.tensor([1, 2, 3]);
    const b = copyB.tensor([4, 5, 6]);
    // each copy's Tensor checks accept the other's tensors
    expect(a instanceof copyB.Tensor).toBe(true);
    expect(b instanceof copyA.Tensor).toBe(true);
    expect(Array.from(copyB.add(a, b).data)).toEqual([5, 7, 9]);
    expect(Array.from(a.add(b).data)).toEqual([5, 7, 9]);
    // gradients flow across copies
    const x = copyA.tensor([2, 3]).setRequiresGrad();
    copyB.mul(x, x).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([4, 6]);
    // one registry: a backend chosen through one copy is the other's too
    const before = copyA.getBackend();
    copyB.setBackend('reference');
    expect(copyA.getBackend()).toBe('reference');
    copyA.setBackend(before);
    copyB.registerKernel({ kernelName: 'Neg', backendName: 'shared-test', kernelFunc: () => ({}) as never });
    expect(copyA.listKernels('shared-test')).toEqual(['Neg']);
    copyA.removeBackend('shared-test');
    // tensor ids stay unique across copies
    expect(copyB.tensor([1]).id).not.toBe(copyA.tensor([1]).id);
    // a subclass (like nn's Parameter) keeps the prototype test: a plain tensor is not one
    class Sub extends copyA.Tensor {}
    expect(new Sub(new Float32Array([1]), [1]) instanceof Sub).toBe(true);
    expect(new Sub(new Float32Array([1]), [1]) instanceof copyB.Tensor).toBe(true);
    expect(copyA.tensor([1]) instanceof Sub).toBe(false);
    expect({ data: [1] } instanceof copyA.Tensor).toBe(false);
  });

  it('a copy with another tensor layout fails when loaded, naming both versions', async () => {
    const key = Symbol.for('@tenzo/tensor/state');
    const state = (globalThis as unknown as Record<symbol, { layout: number }>)[key]!;
    const layout = state.layout;
    state.layout = 999;
    try {
      // (the second copy loads its own @tenzo/core too, so compare the error's name, not its class)
      await expect(secondCopy()).rejects.toMatchObject({ name: BackendError.name });
      await expect(secondCopy()).rejects.toThrow(/layout 999.*cannot share tensors/);
    } finally {
      state.layout = layout;
    }
  });

  it('knows its package version (the one a mismatch message names)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(TENSOR_PACKAGE_VERSION).toBe(pkg.version);
  });
});
