import { BackendError } from '@tenzo/core';
import { afterEach, describe, expect, it } from 'vitest';
import { tensor } from './creation.js';
import {
  getBackend,
  getKernel,
  listKernels,
  REFERENCE_BACKEND,
  registerKernel,
  removeBackend,
  resolveKernelBackend,
  setBackend,
  withBackend,
} from './kernelRegistry.js';

describe('kernel registry', () => {
  const previous = getBackend();
  afterEach(() => {
    removeBackend('toy');
    setBackend(previous);
  });

  it('dispatches to a backend that registers a subset, falling back to the reference for the rest', () => {
    const calls: string[] = [];
    const referenceAdd = getKernel('Add', REFERENCE_BACKEND);
    registerKernel({
      kernelName: 'Add',
      backendName: 'toy',
      kernelFunc: (inputs, attrs) => {
        calls.push('Add');
        return referenceAdd(inputs, attrs);
      },
    });
    expect(listKernels('toy')).toEqual(['Add']);
    withBackend('toy', () => {
      expect(resolveKernelBackend('Add')).toBe('toy');
      expect(resolveKernelBackend('Mul')).toBe(REFERENCE_BACKEND);
      const y = tensor([1, 2]).add(1).mul(3);
      expect(y.toFlat()).toEqual([6, 9]);
    });
    expect(calls).toEqual(['Add']);
  });

  it('gradients are backend independent: backward through the toy kernel matches', () => {
    registerKernel({
      kernelName: 'Mul',
      backendName: 'toy',
      kernelFunc: getKernel('Mul', REFERENCE_BACKEND),
    });
    const grad = (backend: string) =>
      withBackend(backend, () => {
        const x = tensor([1, 2, 3], { requiresGrad: true });
        x.mul(x).sum().backward();
        return x.grad!.toFlat();
      });
    expect(grad('toy')).toEqual(grad(REFERENCE_BACKEND));
  });

  it('refuses unknown backends and the removal of the reference', () => {
    expect(() => setBackend('nope')).toThrowError(BackendError);
    expect(() => setBackend('nope')).toThrowError(
      /setBackend: backend expected one of .*reference.*, got 'nope'/,
    );
    expect(() => removeBackend(REFERENCE_BACKEND)).toThrowError(/cannot remove/);
    expect(() => getKernel('NoSuchKernel')).toThrowError(/kernel 'NoSuchKernel' is not registered/);
  });
});
