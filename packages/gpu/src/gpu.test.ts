import { FAST_BACKEND, fromTypedArray, getBackend, matmul, softmax, withBackend } from '@tenzo/tensor';
import { runConformance } from '@tenzo/tensor/testing';
import { GPU } from 'gpu.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GPU_KERNELS, type GpuBackend, type GpuMode, registerGpuBackend } from './index.js';

// gpu.js single precision: exp/log/tanh differ from float64-then-rounded by a few ulp, and
// sums run in a different order than the reference's
const F32 = { float32: { rtol: 2e-5, atol: 2e-6 } };

// The modes gpu.js can run in this environment: webasm and cpu always; headlessgl only where
// the native `gl` module built (it does not here: its install script is not run).
const modes: GpuMode[] = ['webasm', 'cpu'];
if (GPU.isHeadlessGLSupported) modes.unshift('headlessgl');

describe.each(modes)('gpu.js backend in %s mode', (mode) => {
  let backend: GpuBackend;
  beforeAll(async () => {
    backend = await registerGpuBackend({ mode, name: `gpu-${mode}`, GPU });
  });
  afterAll(() => backend.dispose());

  it('passes the float32 conformance suite and executes on the requested gpu.js backend', () => {
    const report = runConformance(backend.name, { dtypes: ['float32'], specials: false, tolerance: F32 });
    expect(report.failures).toEqual([]);
    expect(report.uncovered).toEqual([]);
    expect([...report.kernels].sort()).toEqual([...GPU_KERNELS].sort());
    expect(report.cases).toBeGreaterThan(300);
    // read from gpu.js (kernel.kernel.constructor.mode): no silent degradation to another mode
    expect(backend.executedMode()).toBe(mode);
    // only the shapes gpu kernels do not cover (non-adjacent reduction axes, softmax on an
    // inner axis, reductions over an empty axis) went to the CPU
    const { gpu, cpu } = backend.calls();
    expect(gpu + cpu).toBe(report.cases);
    expect(cpu).toBeLessThan(report.cases * 0.1);
  });

  it('sends float64 to the fast CPU backend and is not the default backend', () => {
    expect(getBackend()).toBe(FAST_BACKEND);
    const a = fromTypedArray(new Float64Array([1, 2, 3, 4]), [2, 2]);
    const c = withBackend(backend.name, () => matmul(a, a));
    expect(c.dtype).toBe('float64');
    expect(Array.from(c.data)).toEqual([7, 10, 15, 22]);
  });

  it('runs ops end to end when selected (matmul → softmax)', () => {
    const a = fromTypedArray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const b = fromTypedArray(new Float32Array([1, 0, 0, 1, 1, 1]), [3, 2]);
    const got = withBackend(backend.name, () => softmax(matmul(a, b)));
    const want = softmax(matmul(a, b));
    expect(got.shape).toEqual([2, 2]);
    for (let i = 0; i < 4; i++) expect(got.data[i]).toBeCloseTo(want.data[i]!, 6);
  });
});

describe('registerGpuBackend', () => {
  it('rejects an unknown mode, naming it', async () => {
    await expect(registerGpuBackend({ mode: 'webgpu' as GpuMode, GPU })).rejects.toThrowError(
      /mode expected one of .*"webgpu"/,
    );
  });
});
