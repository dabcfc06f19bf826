import { Rng } from '@tenzo/core';
import { benchmarkFunction, htbbApprox, htEvaluate } from '@tenzo/decomp';
import { matrixDevice, slmPhaseMatrix } from '@tenzo/devices';
import { PhysicalLayer, type PhysicalLayerOptions } from '@tenzo/hybrid';
import { Adam, Linear, mseLoss, type Optimizer, type Parameter, ReLU, Sequential, SGD } from '@tenzo/nn';
import { fromTypedArray, getBackend, isWasmSimdAvailable, type Tensor } from '@tenzo/tensor';

/** The demo's sizes; the defaults are what the page and its test run. */
export interface DemoOptions {
  /** training steps of each hybrid network (default 40) */
  steps?: number;
  /** HTBB dimensions (default 8) */
  d?: number;
  /** seed of the data, the initialisation, the devices, the ZO directions and HTBB (default 0) */
  seed?: number;
}

/**
 * The two trainings:
 * - 'portable': the reference's plain matrix device, ω̄ by zeroth-order estimates along Rademacher
 *   directions, x̄ through the simulator's exact transpose (`mode: 'zo-only'`), SGD with momentum.
 *   Built from +, −, ×, ÷ and √ only, so a seed gives the same bits in every engine.
 * - 'slm': the paper's method on a spatial light modulator — A = cos(Φ)/√d_in, Gaussian ZO
 *   directions, a rank-4 surrogate tracked by the implicit KSL integrator for the backward, Adam.
 *   Its Math.cos, Adam's bias correction (`**`) and the Gaussian sampler's rare tail draws
 *   (Math.log) are rounded by the engine, and engines differ there in the last bit (README,
 *   Browser), so a browser agrees with Node to rounding, not bit for bit.
 */
export type TrainingVariant = 'portable' | 'slm';

/** What the demo reports after each training step (for a live plot). */
export interface StepInfo {
  variant: TrainingVariant;
  step: number;
  loss: number;
}

/** One hybrid training's results. */
export interface TrainingResults {
  /** training loss (MSE over the batch) of each step, before its update */
  losses: number[];
  /** MSE of the network on the whole generated set before training */
  initialLoss: number;
  /** MSE of the trained network on the whole generated set */
  finalLoss: number;
  /** every trained parameter (digital weights, the device's parameters and gain), flattened in order */
  weights: number[];
  /** FNV-1a (64 bit, hex) over the float64 bytes of `weights` */
  weightsChecksum: string;
  /** device queries of the physical layer over the run, by kind */
  deviceQueries: Record<string, number>;
}

/** The HTBB approximation's results. */
export interface HtbbResults {
  /** the benchmark function and its dimension */
  fn: string;
  d: number;
  /** unique black-box evaluations HTBB spent */
  evaluations: number;
  /** relative L2 error of the HT interpolant on 1,000 random grid points */
  error: number;
}

/** The demo's final results (what the page puts on `window.tenzoDemo.results`). */
export interface DemoResults {
  /** the active @tenzo/tensor backend (`getBackend()`), e.g. 'fast' */
  backend: string;
  /** which kernels the fast backend's matrix products ran: WebAssembly SIMD or the TypeScript fallback */
  kernel: 'wasm-simd' | 'typescript';
  portable: TrainingResults;
  slm: TrainingResults;
  htbb: HtbbResults;
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
 * Generated regression data: x ~ U[−1, 1]^[SAMPLES×IN] and targets relu(T x / √IN) for a random
 * teacher T ~ U[−1, 1]^[OUT×IN], both from `rng`.
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

/** The device, the layer's options and the optimizer of each variant (see TrainingVariant). */
function variantSetup(variant: TrainingVariant, seed: number) {
  if (variant === 'portable') {
    return {
      device: matrixDevice({ dIn: HIDDEN, dOut: HIDDEN, seed }),
      layer: {
        mode: 'zo-only',
        zoSamples: 16,
        directions: 'rademacher',
        seed,
      } satisfies PhysicalLayerOptions,
      optimizer: (params: Parameter[]): Optimizer => new SGD(params, { lr: 0.1, momentum: 0.9 }),
    };
  }
  return {
    device: slmPhaseMatrix({ dIn: HIDDEN, dOut: HIDDEN, seed }),
    layer: { rank: 4, zoSamples: 16, sketchSamples: 16, seed } satisfies PhysicalLayerOptions,
    optimizer: (params: Parameter[]): Optimizer => new Adam(params, { lr: 1e-2 }),
  };
}

/**
 * Trains IN-[Linear]-HIDDEN-[device HIDDEN→HIDDEN]-OUT (float64, ReLU between) on the generated
 * data for `steps` minibatch steps of BATCH, the device's parameters by the hybrid layer's
 * zeroth-order estimates from forward queries.
 */
export async function trainHybrid(
  variant: TrainingVariant,
  options: DemoOptions = {},
  onStep: (info: StepInfo) => void | Promise<void> = () => {},
): Promise<TrainingResults> {
  const steps = options.steps ?? 40;
  const seed = options.seed ?? 0;
  const rng = new Rng(seed);
  const data = makeData(rng);
  const setup = variantSetup(variant, seed);

  const pre = new Sequential(new Linear(IN, HIDDEN, rng, { dtype: 'float64' }), new ReLU());
  const layer = new PhysicalLayer(setup.device, rng, setup.layer, 'float64');
  const post = new Sequential(new ReLU(), new Linear(HIDDEN, OUT, rng, { dtype: 'float64' }));
  const digital = setup.optimizer([...pre.parameters(), ...post.parameters()]);
  const physical = setup.optimizer(layer.deviceParameters());
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
    await onStep({ variant, step, loss: loss.item() });
  }

  const finalLoss = mseLoss(await forward(xAll), yAll).item();
  const params = [...pre.parameters(), ...layer.parameters(), ...post.parameters()];
  const weights = Float64Array.from(params.flatMap((p) => Array.from(p.data)));
  return {
    losses,
    initialLoss,
    finalLoss,
    weights: Array.from(weights),
    weightsChecksum: fnv1a64(weights),
    deviceQueries: { ...layer.queries },
  };
}

/**
 * HTBB approximation of Dixon on the reference's 8-point Chebyshev grid per axis (4 sweeps),
 * and its relative L2 error on 1,000 random grid points. Portable: the grid's 8 cosines and the
 * SVD's Math.hypot are rounded alike by Chromium and Node (the browser test checks the result).
 */
export async function approximateHtbb(options: DemoOptions = {}): Promise<HtbbResults> {
  const d = options.d ?? 8;
  const seed = options.seed ?? 0;
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
  return { fn: HTBB_FUNCTION, d, evaluations: approx.evaluations, error: Math.sqrt(num / den) };
}

/** Both trainings, then HTBB; `onStep` sees every training step. */
export async function runDemo(
  options: DemoOptions = {},
  onStep: (info: StepInfo) => void | Promise<void> = () => {},
): Promise<DemoResults> {
  const portable = await trainHybrid('portable', options, onStep);
  const slm = await trainHybrid('slm', options, onStep);
  const htbb = await approximateHtbb(options);
  return {
    backend: getBackend(),
    kernel: isWasmSimdAvailable() ? 'wasm-simd' : 'typescript',
    portable,
    slm,
    htbb,
  };
}
