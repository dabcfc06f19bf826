import { Rng } from '@tenzo/core';
import { anyNumber, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import { slmPhaseMatrix, usvMesh } from '@tenzo/devices';
import { type Tensor, tensor } from '@tenzo/tensor';
import fc from 'fast-check';
import * as H from './index.js';

const rngArb = fc.oneof(junk, fc.constant(new Rng(1)));
const x = (rows: number, cols: number) =>
  tensor(
    Array.from({ length: rows * cols }, (_, i) => ((i % 5) - 2) / 4),
    { shape: [rows, cols] },
  );
const xArb = fc.oneof(
  fc.constant(x(2, 4)),
  fc.constant(x(2, 3)),
  fc.constant(tensor([Number.NaN, 1, 2, 3], { shape: [1, 4] })),
  junk,
);
const layerOpts = fc.oneof(
  junk,
  fc.record(
    {
      rank: anySize,
      zoSamples: anySize,
      mu: anyNumber,
      mode: fc.oneof(junk, fc.constantFrom(...H.HYBRID_MODES)),
      integrator: fc.oneof(junk, fc.constantFrom('ksl', 'bug')),
    },
    { requiredKeys: [] },
  ),
);
// sizes for calls that do real work: small or invalid (anySize's huge values would run for hours)
const smallSize = fc.oneof(
  junk,
  fc.integer({ min: -3, max: 4 }),
  fc.constantFrom(0.5, Number.NaN, Number.POSITIVE_INFINITY),
);
const counts = fc.oneof(junk, fc.constant(H.zeroCounts()), fc.record({ forward: anyNumber, zo: anyNumber }));
const layer = () =>
  new H.PhysicalLayer(slmPhaseMatrix({ dIn: 4, dOut: 3 }), new Rng(2), { rank: 2, mode: 'exact' });

describePublicApi(
  '@tenzo/hybrid',
  [
    apiCase({
      name: 'programDevice',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.constant(new Float64Array(12).fill(0.1)),
          fc.constant(Float64Array.of(1, Number.NaN)),
        ),
        fc.oneof(
          junk,
          fc.record(
            { rng: rngArb, steps: smallSize, batch: smallSize, q: smallSize, mu: anyNumber, lr: anyNumber },
            { requiredKeys: ['rng'] },
          ),
        ),
      ),
      call: (W, o) =>
        H.programDevice(slmPhaseMatrix({ dIn: 4, dOut: 3 }), W as Float64Array, o as H.ProgramDeviceOptions),
      ok: (r) => Number.isFinite((r as H.ProgramResult).error) && (r as H.ProgramResult).omega.length === 12,
      runs: 60,
    }),
    apiCase({
      name: 'programMesh',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.constant(slmPhaseMatrix({ dIn: 4, dOut: 3 })),
          fc.constant(usvMesh({ dIn: 4, dOut: 3 })),
          fc.constant(usvMesh({ dIn: 4, dOut: 3, phaseScreens: true })),
        ),
        fc.oneof(
          junk,
          fc.constant(new Float64Array(12).fill(0.1)),
          fc.constant(Float64Array.of(1, Number.NaN)),
          fc.constant(new Float64Array(12).fill(Number.POSITIVE_INFINITY)),
        ),
        fc.oneof(junk, fc.record({ probes: fc.oneof(junk, fc.constant(new Float64Array(8).fill(1))) })),
      ),
      call: (d, W, o) => H.programMesh(d as never, W as Float64Array, o as H.ProgramMeshOptions),
      ok: (r) => (r as H.ProgramResult).error < 1e-9 && (r as H.ProgramResult).omega.every(Number.isFinite),
      runs: 60,
    }),
    apiCase({
      name: 'makeDevice',
      args: fc.tuple(
        fc.oneof(junk, fc.constantFrom(...H.DEVICE_KINDS)),
        anySize,
        fc.oneof(
          junk,
          fc.record(
            { seed: fc.oneof(fc.constant(1), anyNumber), rank: anySize, noise: anyNumber, drift: anyNumber },
            { requiredKeys: ['seed', 'rank'] },
          ),
        ),
      ),
      call: (k, d, o) =>
        H.makeDevice(k as H.SimulatedDeviceKind, d as number, o as { seed: number; rank: number }),
      ok: () => true,
      runs: 120,
    }),
    apiCase({
      name: 'PhysicalLayer',
      args: fc.tuple(
        fc.oneof(junk, fc.constant(slmPhaseMatrix({ dIn: 4, dOut: 3 }))),
        rngArb,
        layerOpts,
        fc.oneof(junk, fc.constantFrom('float32', 'float64')),
      ),
      call: (d, r, o, t) =>
        new H.PhysicalLayer(d as H.LayerDevice, r as Rng, o as H.PhysicalLayerOptions, t as 'float32'),
      ok: () => true,
      runs: 120,
    }),
    apiCase({
      name: 'PhysicalLayer.forward',
      args: fc.tuple(xArb),
      call: (v) => layer().forward(v as Tensor),
      runs: 60,
    }),
    apiCase({
      name: 'PhysicalLayer.load',
      args: fc.tuple(fc.oneof(junk, fc.constant(layer().state()), fc.record({ omega: anyNumber }))),
      call: (s) => layer().load(s as never),
      ok: () => true,
      runs: 60,
    }),
    apiCase({
      name: 'convFrontWidth',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            height: anySize,
            width: anySize,
            channels: anySize,
            kernel: anySize,
            stride: anySize,
            padding: anySize,
          }),
        ),
      ),
      call: (c) => H.convFrontWidth(c as H.ConvFrontSpec),
      runs: 100,
    }),
    apiCase({
      name: 'HybridMlp',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            inputs: anySize,
            width: anySize,
            outputs: anySize,
            dropout: fc.constantFrom(0, 0.1, -1, 1, Number.NaN),
            device: fc.oneof(junk, fc.constantFrom('slm', 'identity', 'nope')),
            layer: fc.constant({ mode: 'exact' }),
            deviceSeed: fc.oneof(fc.constant(1), anyNumber),
          }),
        ),
        rngArb,
      ),
      call: (s, r) => new H.HybridMlp(s as H.HybridMlpSpec, new Rng(3), new Rng(4), r as Rng),
      ok: () => true,
      runs: 120,
    }),
    apiCase({
      name: 'HybridTdnn',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            device: fc.oneof(junk, fc.constantFrom('slm', 'nope')),
            layer: fc.constant({ mode: 'exact' }),
            deviceSeed: fc.constant(1),
          }),
        ),
        rngArb,
      ),
      call: (s, r) => new H.HybridTdnn(s as H.HybridTdnnSpec, new Rng(3), new Rng(4), r as Rng),
      ok: () => true,
      runs: 80,
    }),
    apiCase({
      name: 'LowRankFfn',
      args: fc.tuple(anySize, anySize, rngArb),
      call: (d, r, g) => new H.LowRankFfn(d as number, r as number, g as Rng),
      ok: () => true,
      runs: 80,
    }),
    apiCase({
      name: 'LowRankFfn.forward',
      args: fc.tuple(xArb),
      call: (v) => new H.LowRankFfn(4, 2, new Rng(5)).forward(v as Tensor),
      runs: 50,
    }),
    apiCase({
      name: 'DeviceFfn',
      args: fc.tuple(fc.oneof(junk, fc.constant(null)), fc.oneof(fc.constant({}), junk)),
      call: (l, o) =>
        new H.DeviceFfn((l === null ? layer() : l) as H.PhysicalLayer, o as { center?: boolean }),
      ok: () => true,
      runs: 60,
    }),
    ...[H.addCounts, H.subCounts].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(counts, counts),
        call: (a, b) => f(a as H.QueryCounts, b as H.QueryCounts),
        runs: 60,
      }),
    ),
    apiCase({
      name: 'totalQueries',
      args: fc.tuple(counts),
      call: (a) => H.totalQueries(a as H.QueryCounts),
      runs: 50,
    }),
    apiCase({ name: 'zeroCounts', args: fc.tuple(fc.constant(0)), call: () => H.zeroCounts(), runs: 10 }),
  ],
  { runs: 40 },
);
