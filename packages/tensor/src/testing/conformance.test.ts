import { describe, expect, it } from 'vitest';
import { allocate } from '../dtype.js';
import { getKernel, registerKernel, removeBackend } from '../kernelRegistry.js';
import { runConformance } from './conformance.js';

describe('conformance harness', () => {
  it('reports wrong values, wrong shapes, throws and input mutation, and names uncovered kernels', () => {
    const name = 'broken-for-test';
    const add = getKernel('Add', 'reference');
    // off by one ulp-ish on large sums only: must still be caught
    registerKernel({
      backendName: name,
      kernelName: 'Add',
      kernelFunc: (inputs, attrs) => {
        const r = add(inputs, attrs);
        if (r.data.length > 10) r.data[3]! += 1e-3;
        return r;
      },
    });
    registerKernel({
      backendName: name,
      kernelName: 'Exp',
      kernelFunc: ([x]) => ({ data: allocate(x!.dtype, 1), shape: [1], dtype: x!.dtype }),
    });
    registerKernel({
      backendName: name,
      kernelName: 'Neg',
      kernelFunc: ([x]) => {
        const r = getKernel('Neg', 'reference')([x!], {});
        if (x!.data.length > 0) x!.data[0] = 42;
        return r;
      },
    });
    registerKernel({
      backendName: name,
      kernelName: 'Sqrt',
      kernelFunc: () => {
        throw new Error('not today');
      },
    });
    registerKernel({ backendName: name, kernelName: 'NoSuchOp', kernelFunc: getKernel('Neg', 'reference') });
    try {
      const report = runConformance(name, { dtypes: ['float64'] });
      const by = (k: string) => report.failures.filter((f) => f.kernel === k);
      expect(by('Add').length).toBeGreaterThan(0);
      expect(by('Add').every((f) => f.message.startsWith('element 3'))).toBe(true);
      expect(by('Exp').some((f) => f.message.startsWith('shape'))).toBe(true);
      expect(by('Neg').some((f) => f.message === 'modified an input')).toBe(true);
      expect(by('Sqrt')[0]!.message).toBe('threw not today');
      expect(report.uncovered).toEqual(['NoSuchOp']);
      expect(report.kernels).toEqual(['Add', 'Exp', 'Neg', 'Sqrt']);
    } finally {
      removeBackend(name);
    }
  });

  it('passes the reference against itself', () => {
    const report = runConformance('reference', { kernels: ['MatMul', 'Softmax', 'Sum'] });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBeGreaterThan(100);
  });
});
