import { FormatError, Rng, ShapeError, TenzoError } from '@tenzo/core';
import {
  clementsMesh,
  gaussianNoise,
  mrrWeightBank,
  type PhysicalDevice,
  type SimulatorOptions,
  slmPhaseMatrix,
} from '@tenzo/devices';
import { Adam } from '@tenzo/nn';
import { randn } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import type { PhysicalLayerState } from './layerState.js';
import type { PhysicalLayerOptions } from './options.js';
import { PhysicalLayer } from './physicalLayer.js';

const D_IN = 8;
const D_OUT = 6;
const BATCH = 5;

/** What a checkpoint does to a snapshot: typed arrays kept (stored as tensors), the rest through JSON. */
function throughJson<T>(state: T): T {
  const arrays: ArrayBufferView[] = [];
  const text = JSON.stringify(state, (_k, v) => (ArrayBuffer.isView(v) ? { $array: arrays.push(v) - 1 } : v));
  return JSON.parse(text, (_k, v) => (v?.$array === undefined ? v : arrays[v.$array]));
}

type DeviceKind = 'slm' | 'mrr' | 'mzi';
type Noise = 'gaussian readout noise' | 'drift';

function makeDevice(kind: DeviceKind, noise: Noise): PhysicalDevice {
  const shared: SimulatorOptions =
    noise === 'drift' ? { drift: 1e-3, seed: 11 } : { outputNoise: [gaussianNoise(1e-3)], seed: 11 };
  const dims = { dIn: D_IN, dOut: D_OUT, ...shared };
  if (kind === 'slm') return slmPhaseMatrix(dims);
  if (kind === 'mrr') return mrrWeightBank(dims);
  return clementsMesh(dims);
}

// each device also exercises one more part of the state: the backward probes' stream, periodic
// rebuilds (updatesSinceRebuild), the tracked surrogate cosine
const EXTRA: Record<DeviceKind, PhysicalLayerOptions> = {
  slm: { backwardProbes: 2 },
  mrr: { rebuildEvery: 2 },
  mzi: { backwardProbes: 2, trackSurrogateQuality: true },
};

/** A lone layer and its optimizer, as a trainer holds them. */
interface Run {
  layer: PhysicalLayer;
  opt: Adam;
}

function build(kind: DeviceKind, noise: Noise, opts: PhysicalLayerOptions): Run {
  const layer = new PhysicalLayer(makeDevice(kind, noise), new Rng(4), {
    rank: 3,
    zoSamples: 12,
    sketchSamples: 6,
    seed: 5,
    ...EXTRA[kind],
    ...opts,
  });
  return { layer, opt: new Adam(layer.deviceParameters(), { lr: 1e-2 }) };
}

/** forward → loss.backward() of step t (its data depend on t only): y and x̄. */
async function forwardBackward({ layer }: Run, t: number): Promise<number[][]> {
  const data = new Rng(100 + t);
  const x = randn([BATCH, D_IN], data).setRequiresGrad();
  const dy = randn([BATCH, D_OUT], data);
  const y = await layer.forward(x);
  y.mul(dy).sum().backward();
  return [Array.from(y.data), Array.from(x.grad!.data)];
}

/** The rest of the step: ω̄, ω after Adam, the surrogate, the query counts and the device ledger. */
async function finishStep({ layer, opt }: Run): Promise<number[][]> {
  const report = await layer.estimateParamGrad();
  opt.step();
  opt.zeroGrad();
  const s = layer.surrogate!;
  const { wallMs: _, ...ledger } = layer.device.ledger.state();
  return [
    Array.from(report.grad),
    Array.from(layer.omega.data),
    Array.from(layer.gain!.data),
    Array.from(s.U.data),
    Array.from(s.S.data),
    Array.from(s.V.data),
    Object.values(layer.queries),
    Object.values(ledger),
    [layer.lastSurrogateCosine ?? -2],
  ];
}

/** A layer built the same way that loads a's checkpoint: stateDict, optimizer state, layer state. */
function resume(
  kind: DeviceKind,
  noise: Noise,
  opts: PhysicalLayerOptions,
  a: Run,
  state: PhysicalLayerState,
): Run {
  const b = build(kind, noise, opts);
  b.layer.loadStateDict(a.layer.stateDict());
  b.opt.loadStateDict(a.opt.stateDict());
  b.layer.load(throughJson(state));
  return b;
}

describe('PhysicalLayer state/load: a resumed run continues bit for bit', () => {
  for (const kind of ['slm', 'mrr', 'mzi'] as const) {
    for (const simulation of ['materialised', 'projected'] as const) {
      for (const [directions, noise] of [
        ['gaussian', 'gaussian readout noise'],
        ['rademacher', 'drift'],
      ] as const) {
        it(`${kind}, ${simulation}, ${directions} directions, ${noise}: at a step boundary and after a backward`, async () => {
          const opts: PhysicalLayerOptions = { simulation, directions };
          const a = build(kind, noise, opts);
          for (let t = 0; t < 2; t++) {
            await forwardBackward(a, t);
            await finishStep(a);
          }
          // at the step boundary (ω stepped, surrogate not yet synced to it)
          const atBoundary = a.layer.state();
          const kept = structuredClone(atBoundary);
          const b = resume(kind, noise, opts, a, atBoundary);
          const ya = [await forwardBackward(a, 2)];
          // mid-step: after the backward, before estimateParamGrad (the pending batches matter)
          const c = resume(kind, noise, opts, a, a.layer.state());
          // the gain's gradient is autograd's, not state (a trainer checkpoints between steps)
          c.layer.gain!.grad = a.layer.gain!.grad!.clone();
          const yb = [await forwardBackward(b, 2)];
          const yc: number[][][] = [];
          for (const [run, out] of [
            [a, ya],
            [b, yb],
            [c, yc],
          ] as const) {
            out.push(await finishStep(run));
            for (let t = 3; t < 6; t++) out.push(await forwardBackward(run, t), await finishStep(run));
          }
          expect(yb).toEqual(ya);
          expect(yc).toEqual(ya.slice(1));
          expect(atBoundary).toEqual(kept); // training on did not touch the snapshot
        });
      }
    }
  }

  it('without the layer state (the old checkpoint: stateDict and optimizer only) the runs part', async () => {
    const run = async (withState: boolean) => {
      const a = build('slm', 'gaussian readout noise', {});
      for (let t = 0; t < 2; t++) {
        await forwardBackward(a, t);
        await finishStep(a);
      }
      const b = build('slm', 'gaussian readout noise', {});
      b.layer.loadStateDict(a.layer.stateDict());
      b.opt.loadStateDict(a.opt.stateDict());
      if (withState) b.layer.load(a.layer.state());
      const out = [];
      for (const r of [a, b]) out.push([await forwardBackward(r, 2), await finishStep(r)]);
      return out;
    };
    const [a, b] = await run(false);
    expect(b).not.toEqual(a);
    const [a2, b2] = await run(true);
    expect(b2).toEqual(a2);
  });

  it('a device without state/load (a real or remote one) is not snapshotted', async () => {
    const sim = slmPhaseMatrix({ dIn: D_IN, dOut: D_OUT });
    const remote: PhysicalDevice = {
      name: 'remote slm',
      inputSize: D_IN,
      outputSize: D_OUT,
      paramSize: sim.paramSize,
      units: sim.units,
      bounds: sim.bounds,
      ledger: sim.ledger,
      params: () => sim.params(),
      setParams: (w) => sim.setParams(w),
      initParams: (rng) => sim.initParams(rng),
      query: (X, w) => sim.query(X, w),
    };
    const layer = new PhysicalLayer(remote, new Rng(1), { rank: 3, zoSamples: 4, sketchSamples: 4 });
    await forwardBackward({ layer, opt: new Adam(layer.deviceParameters()) }, 0);
    const s = layer.state();
    expect(s.device).toBeNull();
    expect(s.pending).toHaveLength(1);
    layer.load(throughJson(s));
    expect(() => layer.load({ ...s, device: sim.state() })).toThrow(
      /PhysicalLayer\.load: device: expected null \(device 'remote slm' has no state\/load\)/,
    );
  });
});

describe('PhysicalLayer.load refuses malformed snapshots', () => {
  async function trained(): Promise<{ layer: PhysicalLayer; s: PhysicalLayerState }> {
    const run = build('slm', 'drift', {});
    await forwardBackward(run, 0);
    await finishStep(run);
    await forwardBackward(run, 1);
    return { layer: run.layer, s: run.layer.state() };
  }

  it('names the function, the field, the expectation and the value; changes nothing', async () => {
    const { layer, s } = await trained();
    const before = layer.state();
    const p = s.pending[0]!;
    const y = s.surrogate.surrogate!;
    const bad = (patch: Partial<Record<keyof PhysicalLayerState, unknown>>) => () =>
      layer.load({ ...s, ...patch } as PhysicalLayerState);
    expect(() => layer.load(null as unknown as PhysicalLayerState)).toThrow(
      new FormatError('PhysicalLayer.load: state: expected a state record, got null'),
    );
    expect(bad({ zoRng: undefined })).toThrow(/^PhysicalLayer\.load: zoRng: expected an RngState/);
    expect(bad({ pending: [{ ...p, X: new Float64Array(7) }] })).toThrow(ShapeError);
    expect(bad({ pending: [{ ...p, X: new Float64Array(7) }] })).toThrow(
      'PhysicalLayer.load: pending[0].X: expected a Float64Array of B×d_in = B×8 entries, B >= 1, got Float64Array(7)',
    );
    expect(bad({ pending: [{ ...p, Y: p.Y.subarray(1) }] })).toThrow(
      'PhysicalLayer.load: pending[0].Y: expected a Float64Array of length 30, got Float64Array(29)',
    );
    expect(bad({ pending: [{ ...p, Ybar: Array.from(p.Ybar!) }] })).toThrow(FormatError);
    expect(bad({ pending: [null] })).toThrow(/pending\[0\]: expected a state record, got null/);
    const U = { ...y.U, rows: 5 };
    expect(bad({ surrogate: { ...s.surrogate, surrogate: { ...y, U } } })).toThrow(
      new ShapeError('PhysicalLayer.load: surrogate.surrogate.U: expected a 6×3 matrix, got [5, 3]'),
    );
    expect(bad({ surrogate: { ...s.surrogate, omega: new Float64Array(3) } })).toThrow(ShapeError);
    expect(bad({ queries: { ...s.queries, zo: -4 } })).toThrow(
      'PhysicalLayer.load: queries.zo: expected an integer >= 0, got -4',
    );
    expect(bad({ frozen: 'no' })).toThrow('PhysicalLayer.load: frozen: expected a boolean, got "no"');
    const device = s.device as { omega: Float64Array };
    expect(bad({ device: { ...device, omega: new Float64Array(2) } })).toThrow(
      new ShapeError(
        'PhysicalLayer.load: device: slm-phase-matrix 6x8.load: omega: expected a Float64Array of length 48, got Float64Array(2)',
      ),
    );
    expect(bad({ device: null })).toThrow(
      /device: expected the state of device 'slm-phase-matrix 6x8', got null/,
    );
    expect(layer.state()).toEqual(before);
  });

  it('any wrong value of any field throws FormatError or ShapeError, never a TypeError', async () => {
    const { layer, s } = await trained();
    const garbage = [
      undefined,
      null,
      0,
      -1,
      1.5,
      'x',
      true,
      [],
      [null],
      {},
      new Float64Array(1),
      new Int32Array(48),
    ];
    const paths: string[][] = [
      ...Object.keys(s).map((k) => [k]),
      ...Object.keys(s.surrogate).map((k) => ['surrogate', k]),
      ...['U', 'S', 'V'].flatMap((m) =>
        ['rows', 'cols', 'data'].map((k) => ['surrogate', 'surrogate', m, k]),
      ),
      ...Object.keys(s.pending[0]!).map((k) => ['pending', '0', k]),
      ...Object.keys(s.device!).map((k) => ['device', k]),
      ['zoRng', 'words'],
      ['device', 'noiseRng', 'spareNormal'],
    ];
    let refused = 0;
    for (const path of paths) {
      for (const g of garbage) {
        const copy = structuredClone(s) as unknown as Record<string, unknown>;
        let node = copy;
        for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
        node[path.at(-1)!] = g;
        try {
          layer.load(copy as unknown as PhysicalLayerState);
        } catch (e) {
          expect(e, `${path.join('.')} = ${String(g)}`).toBeInstanceOf(TenzoError);
          expect(['E_FORMAT', 'E_SHAPE']).toContain((e as TenzoError).code);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(paths.length * (garbage.length - 3));
  });
});
