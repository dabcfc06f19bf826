import { Rng } from '@tenzo/core';
import { benchmarkFunction, htbbApprox, htEvaluate } from '@tenzo/decomp';
import { matrixDevice } from '@tenzo/devices';
import { PhysicalLayer } from '@tenzo/hybrid';
import { Linear, mseLoss, ReLU, Sequential, SGD } from '@tenzo/nn';
import { fromTypedArray, getBackend, isWasmSimdAvailable, type Tensor } from '@tenzo/tensor';

/** The demo's sizes; the defaults are what the page and its test run. */
export interface DemoOptions {
  /** training steps of the hybrid network (default 40) */
  steps?: number;
  /** HTBB dimensions (default 8) */
  d?: number;
  /** seed of the data, the initialisation, the device, the ZO directions and HTBB (default 0) */
  seed?: number;
}

/** What the demo reports after each training step (for a live plot). */
export interface StepInfo {
  step: number;
  loss: number;
}

/** The demo's final results; the browser test compares every field with Node's bit for bit. */
export interface DemoResults {
  /** the active @tenzo/tensor backend (`getBackend()`), e.g. 'fast' */
  backend: string;
  /** which kernels the fast backend's matrix products run: WebAssembly SIMD or the TypeScript fallback */
  kernel: 'wasm-simd' | 'typescript';
  /** training loss (MSE over the batch) of each step, before its update */
  losses: number[];
  /** MSE of the network on the whole generated set before training */
  initialLoss: number;
  /** MSE of the trained network on the whole generated set */
  finalLoss: number;
  /** every trained parameter (digital weights, the device's phases and gain), flattened in order */
  weights: number[];
  /** FNV-1a (64 bit, hex) over the float64 bytes of `weights` */
  weightsChecksum: string;
  /** device queries of the physical layer over the run, by kind */
  deviceQueries: Record<string, number>;
  /** the HTBB benchmark function and its dimension */
  htbbFunction: string;
  htbbD: number;
  /** unique black-box evaluations HTBB spent */
  htbbEvaluations: number;
  /** relative L2 error of the HT interpolant on 1,000 random grid points */
  htbbError: number;
}

const IN = 16;
const HIDDEN = 16;
const OUT = 4;
const SAMPLES = 256;
const BATCH = 32;
const GRID = 8;
const TEST_POINTS = 1000;
/** Dixon: a polynomial whose chained terms make it non-separable, so the interpolant is not exact */
const HTBB_FUNCTION = 'Dixon';

/** FNV-1a over the bytes of a Float64Array, as 16 hex digits. */
export function fnv1a64(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = (1n << 64n) - 1n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * prime) & mask;
  return h.toString(16).padStart(16, '0');
}

/**
 * Generated regression data: x ~ U[−1, 1]^[SAMPLES×IN] and targets relu(T x) for a random
 * teacher T ~ U[−1, 1]^[OUT×IN] / √IN, both from `rng`.
 */
function makeData(rng: Rng): { x: Float64Array; y: Float64Array } {
  const teacher = rng.fillUniform(new Float64Array(OUT * IN), -1, 1) as Float64Array;
  const x = rng.fillUniform(new Float64Array(SAMPLES * IN), -1, 1) as Float64Array;
  const y = new Float64Array(SAMPLES * OUT);
  for (let s = 0; s < SAMPLES; s++) {
    for (let c = 0; c < OUT; c++) {
      let v = 0;
      for (let i = 0; i < IN; i++) v += teacher[c * IN + i]! * x[s * IN + i]!;
      y[s * OUT + c] = Math.max(0, v / Math.sqrt(IN));
    }
  }
  return { x, y };
}

/**
 * Trains IN-[Linear]-HIDDEN-[device HIDDEN→HIDDEN]-OUT (float64, ReLU between) on generated data:
 * the device's parameters by zeroth-order estimates from forward queries (16 Rademacher
 * directions per step), the digital layers by backpropagation through the simulator's exact
 * transpose (`mode: 'zo-only'`, one of the paper's ablations). Then runs an HTBB approximation of
 * Dixon on an 8^d Chebyshev grid (4 sweeps).
 *
 * Every step is portable arithmetic: +, −, ×, ÷ and √, which IEEE 754 rounds the same in every
 * engine, and the few Math.cos / Math.hypot calls (the grid nodes, the SVD's Givens rotations)
 * whose arguments here Chromium and Node round alike (the browser test checks it). JavaScript
 * engines do differ in the last bit of Math.exp, Math.log, Math.cos and Math.pow for some
 * arguments (see the README's Browser section), so an SLM's cos(Φ), a cross-entropy, Adam's bias
 * correction or the tail of @tenzo/core's Gaussian sampler (Math.log; the surrogate's sketch
 * probes) agree with Node only to rounding. With the choices here a seed gives the same bits in
 * Node and in a browser.
 */
export async function runDemo(
  options: DemoOptions = {},
  onStep: (info: StepInfo) => void | Promise<void> = () => {},
): Promise<DemoResults> {
  const steps = options.steps ?? 40;
  const d = options.d ?? 8;
  const seed = options.seed ?? 0;
  const rng = new Rng(seed);
  const data = makeData(rng);

  const pre = new Sequential(new Linear(IN, HIDDEN, rng, { dtype: 'float64' }), new ReLU());
  const layer = new PhysicalLayer(
    matrixDevice({ dIn: HIDDEN, dOut: HIDDEN, seed }),
    rng,
    { mode: 'zo-only', zoSamples: 16, directions: 'rademacher', seed },
    'float64',
  );
  const post = new Sequential(new ReLU(), new Linear(HIDDEN, OUT, rng, { dtype: 'float64' }));
  const digital = new SGD([...pre.parameters(), ...post.parameters()], { lr: 0.1, momentum: 0.9 });
  const physical = new SGD(layer.deviceParameters(), { lr: 0.1, momentum: 0.9 });
  const forward = async (x: Tensor) => post.forward(await layer.forward(pre.forward(x)));

  const xAll = fromTypedArray(data.x, [SAMPLES, IN]);
  const yAll = fromTypedArray(data.y, [SAMPLES, OUT]);
  const initialLoss = mseLoss(await forward(xAll), yAll).item();
  const losses: number[] = [];
  const batches = SAMPLES / BATCH;
  for (let step = 0; step < steps; step++) {
    const b = step % batches;
    const x = fromTypedArray(data.x.slice(b * BATCH * IN, (b + 1) * BATCH * IN), [BATCH, IN]);
    const y = fromTypedArray(data.y.slice(b * BATCH * OUT, (b + 1) * BATCH * OUT), [BATCH, OUT]);
    digital.zeroGrad();
    physical.zeroGrad();
    const loss = mseLoss(await forward(x), y);
    loss.backward();
    await layer.estimateParamGrad();
    digital.step();
    physical.step();
    losses.push(loss.item());
    await onStep({ step, loss: loss.item() });
  }

  const finalLoss = mseLoss(await forward(xAll), yAll).item();
  const params = [...pre.parameters(), ...layer.parameters(), ...post.parameters()];
  const weights = Float64Array.from(params.flatMap((p) => Array.from(p.data)));

  const fn = benchmarkFunction(HTBB_FUNCTION, d, { n: GRID });
  const approx = await htbbApprox(fn.batch, { d, n: GRID, r0: 2, sweeps: 4, seed });
  const testRng = new Rng(seed + 1);
  const points = Int32Array.from({ length: TEST_POINTS * d }, () => testRng.int(GRID));
  const exact = await fn.batch(points, TEST_POINTS, d);
  const approxValues = htEvaluate(approx.ht, points, TEST_POINTS);
  let num = 0;
  let den = 0;
  for (let i = 0; i < TEST_POINTS; i++) {
    const e = approxValues[i]! - exact[i]!;
    num += e * e;
    den += exact[i]! * exact[i]!;
  }

  return {
    backend: getBackend(),
    kernel: isWasmSimdAvailable() ? 'wasm-simd' : 'typescript',
    losses,
    initialLoss,
    finalLoss,
    weights: Array.from(weights),
    weightsChecksum: fnv1a64(weights),
    deviceQueries: { ...layer.queries },
    htbbFunction: HTBB_FUNCTION,
    htbbD: d,
    htbbEvaluations: approx.evaluations,
    htbbError: Math.sqrt(num / den),
  };
}
