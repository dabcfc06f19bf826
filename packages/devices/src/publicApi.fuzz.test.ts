import { Rng } from '@tenzo/core';
import { anyNumber, anyNumbers, anySize, apiCase, describePublicApi, isInt, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as D from './index.js';

const factories = {
  identityDevice: D.identityDevice,
  matrixDevice: D.matrixDevice,
  lowRankDevice: (o: object) => D.lowRankDevice({ rank: 1, ...o } as D.LowRankDeviceOptions),
  mziMesh: D.mziMesh,
  clementsMesh: D.clementsMesh,
  reckMesh: D.reckMesh,
  mrrWeightBank: D.mrrWeightBank,
  slmFreeSpace: D.slmFreeSpace,
  slmPhaseMatrix: D.slmPhaseMatrix,
  usvMesh: D.usvMesh,
  monarchDevice: D.monarchDevice,
} as Record<string, (o: object) => D.PhysicalDevice>;
const deviceOpts = fc.oneof(
  junk,
  fc.record(
    {
      dIn: anySize,
      dOut: anySize,
      drift: anyNumber,
      seed: fc.oneof(fc.constant(1), anyNumber),
      budget: fc.oneof(junk, fc.constant({ calls: 5 })),
      outputNoise: fc.oneof(junk, fc.constant([D.gaussianNoise(0.1)])),
      inputDac: fc.oneof(junk, fc.record({ bits: anyNumber, lo: anyNumber, hi: anyNumber })),
    },
    { requiredKeys: ['dIn', 'dOut'] },
  ),
);
const dev = D.slmPhaseMatrix({ dIn: 2, dOut: 2 });
const f64 = fc.oneof(
  fc.constant(Float64Array.of(1, 2)),
  fc.constant(Float64Array.of(1, 2, 3, 4)),
  fc.constant(Float64Array.of(Number.NaN, 1)),
  anyNumbers,
);
const u2 = [Float64Array.of(0, 1, 1, 0), new Float64Array(4)] as const;

describePublicApi(
  '@tenzo/devices',
  [
    ...Object.entries(factories).map(([name, f]) =>
      apiCase({ name, args: fc.tuple(deviceOpts), call: (o) => f(o as object), ok: () => true, runs: 45 }),
    ),
    ...Object.entries(factories).map(([name, f]) =>
      apiCase({
        name: `${name}.query`,
        args: fc.tuple(f64, fc.oneof(fc.constant(undefined), f64)),
        call: (x, w) => f({ dIn: 2, dOut: 2 }).query(x as Float64Array, w as Float64Array),
        runs: 30,
      }),
    ),
    apiCase({
      name: 'fromUnitary',
      args: fc.tuple(
        fc.oneof(fc.constant(u2[0]), f64, fc.constant(Float64Array.of(1, 1, 1, 1))),
        fc.oneof(fc.constant(u2[1]), f64),
        anySize,
        fc.oneof(junk, fc.constantFrom('clements', 'reck')),
      ),
      call: (re, im, n, t) => D.fromUnitary(re as Float64Array, im as Float64Array, n as number, t as 'reck'),
      runs: 60,
    }),
    ...[D.clementsLayout, D.reckLayout].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anySize),
        call: (n) => f(n as number),
        ok: () => true,
        runs: 30,
      }),
    ),
    ...[D.classicalBlock, D.threeMziBlock].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anyNumber, anyNumber, fc.oneof(fc.constant(new Float64Array(8)), f64), anySize),
        call: (a, b, o, k) => f(a as number, b as number, o as Float64Array, k as number),
        runs: 40,
      }),
    ),
    ...[D.allPassTransmission, D.allPassTransmissionDerivative].map((f) =>
      apiCase({
        name: f.name,
        args: fc.tuple(anyNumber, anyNumber, anyNumber),
        call: (p, a, r) => f(p as number, a as number, r as number),
        runs: 40,
      }),
    ),
    apiCase({
      name: 'addDropTransmission',
      args: fc.tuple(anyNumber, anyNumber, anyNumber, anyNumber),
      call: (p, a, r1, r2) =>
        D.addDropTransmission(p as number, a as number, r1 as number, r2 as number, new Float64Array(2)),
      runs: 40,
    }),
    ...[D.gaussianNoise, D.multiplicativeNoise].map((f) =>
      apiCase({ name: f.name, args: fc.tuple(anyNumber), call: (s) => f(s as number), runs: 30 }),
    ),
    apiCase({
      name: 'detectorNoise',
      args: fc.tuple(fc.oneof(junk, fc.record({ shot: anyNumber, thermal: anyNumber }))),
      call: (o) => D.detectorNoise(o as never),
      runs: 30,
    }),
    apiCase({
      name: 'applyOutputNoise',
      args: fc.tuple(
        fc.oneof(junk, fc.constant([D.gaussianNoise(0.1)])),
        f64,
        fc.oneof(junk, fc.constant(new Rng(1))),
      ),
      call: (m, y, r) => D.applyOutputNoise(m as D.OutputNoise[], y as Float64Array, r as Rng),
      runs: 40,
    }),
    apiCase({
      name: 'quantizeUniform',
      args: fc.tuple(f64, anySize, anyNumber, anyNumber),
      call: (v, b, lo, hi) =>
        D.quantizeUniform((v as Float64Array)?.slice?.() ?? v, b as number, lo as number, hi as number),
      runs: 40,
    }),
    apiCase({
      name: 'quantizePhase',
      args: fc.tuple(f64, anySize),
      call: (v, b) => D.quantizePhase((v as Float64Array)?.slice?.() ?? v, b as number),
      runs: 40,
    }),
    apiCase({
      name: 'chainCrosstalk',
      args: fc.tuple(f64, anyNumber),
      call: (v, k) => (D.chainCrosstalk as (...a: unknown[]) => unknown)(v, k),
      runs: 30,
    }),
    apiCase({
      name: 'pixelCrosstalk',
      args: fc.tuple(f64, anyNumber, anySize, anySize),
      call: (v, k, r, c) => (D.pixelCrosstalk as (...a: unknown[]) => unknown)(v, k, r, c),
      runs: 30,
    }),
    apiCase({
      name: 'DriftProcess',
      args: fc.tuple(anySize, anyNumber),
      call: (n, s) => new D.DriftProcess(n as number, s as number),
      ok: () => true,
      runs: 30,
    }),
    apiCase({
      name: 'uniformBounds',
      args: fc.tuple(anySize, anyNumber, anyNumber),
      call: (n, lo, hi) => D.uniformBounds(n as number, lo as number, hi as number),
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'QueryLedger',
      args: fc.tuple(
        fc.oneof(junk, fc.record({ calls: anyNumber, vectors: anyNumber }, { requiredKeys: [] })),
      ),
      call: (b) => new D.QueryLedger(b as D.LedgerBudget),
      ok: () => true,
      runs: 30,
    }),
    apiCase({
      name: 'meshParamSize',
      args: fc.tuple(fc.oneof(junk, fc.constant((D.clementsMesh({ dIn: 2, dOut: 2 }) as D.MziMesh).model))),
      call: (m) => D.meshParamSize(m as D.MeshModel),
      ok: (r) => isInt(r),
      runs: 20,
    }),
    apiCase({
      name: 'meshUnitary',
      args: fc.tuple(f64),
      call: (p) => D.meshUnitary((D.clementsMesh({ dIn: 2, dOut: 2 }) as D.MziMesh).model, p as Float64Array),
      runs: 30,
    }),
    apiCase({
      name: 'fillGaussian',
      args: fc.tuple(fc.oneof(fc.constant(new Float64Array(4)), f64), anySize, anyNumber),
      call: (o, n, k) => D.fillGaussian(o as Float64Array, n as number, k as number, 0, 0, new Int32Array(4)),
      runs: 30,
    }),
    apiCase({
      name: 'fillSignBits',
      args: fc.tuple(fc.oneof(fc.constant(new Int32Array(1)), junk), anySize),
      call: (o, n) => D.fillSignBits(o as Int32Array, n as number, 1, 0, 0, new Int32Array(4)),
      runs: 30,
    }),
    apiCase({
      name: 'device.setParams',
      args: fc.tuple(f64),
      call: (w) => dev.setParams(w as Float64Array),
      ok: () => true,
      runs: 30,
    }),
    apiCase({
      name: 'device.load',
      args: fc.tuple(fc.oneof(junk, fc.constant(dev.state()), fc.record({ omega: f64 }))),
      call: (s) => D.slmPhaseMatrix({ dIn: 2, dOut: 2 }).load(s as never),
      ok: () => true,
      runs: 30,
    }),
  ],
  { runs: 30 },
);
