import { describe, expect, it } from 'vitest';
import {
  getBackend,
  listKernels,
  resolveKernelBackend,
  setBackend,
  withBackend,
} from '../../kernelRegistry.js';
import { runConformance } from '../../testing/conformance.js';
import { FAST_BACKEND } from './index.js';
import { isWasmSimdAvailable, setWasmEnabled } from './wasm/instance.js';

describe('fast CPU backend', () => {
  it('is the default backend and the reference stays selectable', () => {
    expect(getBackend()).toBe(FAST_BACKEND);
    expect(resolveKernelBackend('MatMul')).toBe(FAST_BACKEND);
    // kernels it lacks fall back to the reference
    expect(resolveKernelBackend('Gather')).toBe('reference');
    withBackend('reference', () => expect(resolveKernelBackend('MatMul')).toBe('reference'));
    setBackend('reference');
    expect(getBackend()).toBe('reference');
    setBackend(FAST_BACKEND);
  });

  it('runs WebAssembly SIMD in Node 20', () => {
    expect(isWasmSimdAvailable()).toBe(true);
  });

  it('passes the conformance suite against the reference (float32 and float64)', () => {
    const report = runConformance(FAST_BACKEND);
    expect(report.failures).toEqual([]);
    expect(report.uncovered).toEqual([]);
    expect(report.kernels).toEqual(listKernels(FAST_BACKEND));
    expect(report.cases).toBeGreaterThan(900);
  });

  it('gives the bits of the reference where it promises to (GELU and its gradient: same formula, own loop)', () => {
    const exact = { rtol: 0, atol: 0 };
    const report = runConformance(FAST_BACKEND, {
      kernels: ['Gelu', 'GeluGrad'],
      tolerance: { float32: exact, float64: exact },
    });
    expect(report.kernels).toEqual(['Gelu', 'GeluGrad']);
    expect(report.cases).toBeGreaterThan(10);
    expect(report.failures).toEqual([]);
  });

  it('passes the conformance suite on the TypeScript fallbacks (no wasm)', () => {
    setWasmEnabled(false);
    try {
      expect(isWasmSimdAvailable()).toBe(false);
      const report = runConformance(FAST_BACKEND);
      expect(report.failures).toEqual([]);
      expect(report.cases).toBeGreaterThan(900);
    } finally {
      setWasmEnabled(true);
    }
  });
});
