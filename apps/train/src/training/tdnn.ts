import { ArgumentError, checkInt, formatShape, type Rng, ShapeError } from '@tenzo/core';
import {
  clementsMesh,
  lowRankDevice,
  matrixDevice,
  mrrWeightBank,
  multiplicativeNoise,
  type SimulatorOptions,
  slmPhaseMatrix,
} from '@tenzo/devices';
import { type LayerDevice, PhysicalLayer, type PhysicalLayerOptions } from '@tenzo/hybrid';
import {
  BatchNorm1d,
  Conv1d,
  Dropout,
  type Layer,
  Linear,
  Module,
  type Parameter,
  ReLU,
  Sequential,
  StatsPooling,
} from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import type { DeviceKind } from './devices.js';
import { CenterRows } from './hybridMlp.js';

export interface DeviceImperfections {
  /** relative output noise σ: every read-out value becomes y(1 + σε), ε ~ N(0, 1), per query */
  noise?: number;
  /** phase DAC resolution (SLM pixels, MRR heaters, MZI phase shifters) */
  phaseBits?: number;
}

/**
 * A d×d simulated device as in `makeDevice` (the reference's ideal models), optionally with
 * multiplicative output noise and phase quantisation. The digital controls ('matvec',
 * 'lowrank') have no phases, so `phaseBits` is an error there.
 */
export function makeImperfectDevice(
  kind: Exclude<DeviceKind, 'none' | 'identity'>,
  d: number,
  opts: { seed: number; rank: number } & DeviceImperfections,
): LayerDevice {
  const sim: SimulatorOptions = { seed: opts.seed };
  const noisy: SimulatorOptions =
    opts.noise !== undefined && opts.noise > 0
      ? { ...sim, outputNoise: [multiplicativeNoise(opts.noise)] }
      : sim;
  const common = { dIn: d, dOut: d, ...noisy };
  const bits = opts.phaseBits === undefined ? {} : { phaseBits: opts.phaseBits };
  switch (kind) {
    case 'slm':
      return slmPhaseMatrix({ ...common, ...bits });
    case 'mrr':
      return mrrWeightBank({ ...common, ...bits });
    case 'mzi':
      return clementsMesh({ ...common, ...bits });
    case 'matvec':
    case 'lowrank':
      if (opts.phaseBits !== undefined)
        throw new ArgumentError(`phaseBits: device '${kind}' is a digital control without phases`);
      return kind === 'matvec' ? matrixDevice(common) : lowRankDevice({ ...common, rank: opts.rank });
    default:
      throw new ArgumentError(`device: unknown kind '${String(kind)}'`);
  }
}

export interface TdnnSpec {
  /** feature bins per frame (mel bands or cepstra) */
  features: number;
  /** frames per clip (flat inputs [B, frames·features] are reshaped to [B, frames, features]) */
  frames: number;
  /** channels of the frame-level convolutions (C) */
  channels: number;
  /** kernel size and dilation of each frame-level block (x-vector style: [5,1], [3,2], [3,3]) */
  blocks: readonly (readonly [kernel: number, dilation: number])[];
  /** embedding width d: the size of the device (d → d) */
  embedding: number;
  classes: number;
  /** dropout before the classifier */
  dropout: number;
  /** 'none': the digital projection; 'identity': the projection removed */
  device: DeviceKind;
  /** subtract each row's mean of the device output (see CenterRows; default true) */
  center?: boolean;
  layer: PhysicalLayerOptions;
  deviceSeed: number;
  imperfections?: DeviceImperfections;
}

/**
 * A compact TDNN keyword classifier in the shape of x-vector / ECAPA-TDNN, channels last:
 *
 *   x [B, T, F] → {Conv1d(k, dilation, 'same') → ReLU → BatchNorm1d}×blocks → [B, T, C]
 *     → StatsPooling → [B, 2C] → BatchNorm1d → Linear(2C → d) → ReLU
 *     → projection d → d  (the physical device; digital: Linear(d, d); 'identity': removed)
 *     → [CenterRows] → BatchNorm1d(d) → ReLU → Dropout → Linear(d → classes)
 *
 * The device is square, so the pooled statistics are first mapped to d digitally; the d → d
 * projection that produces the embedding is the layer the paper replaces (ECAPA-TDNN's 6144 → 192).
 * A ReLU sits between Linear(2C → d) and the projection so that the two do not collapse into
 * one linear map (which would make the "removed" baseline trivially as expressive).
 */
export class TdnnClassifier extends Module {
  readonly frameLayers: Sequential;
  readonly pool: StatsPooling;
  readonly pre: Sequential;
  readonly projection: Linear | null;
  readonly physical: PhysicalLayer | null;
  readonly post: Sequential;

  constructor(
    readonly spec: TdnnSpec,
    initRng: Rng,
    dropoutRng: Rng,
    layerRng: Rng,
  ) {
    super();
    const F = checkInt('TdnnClassifier: features', spec.features, { positive: true });
    checkInt('TdnnClassifier: frames', spec.frames, { positive: true });
    const C = checkInt('TdnnClassifier: channels', spec.channels, { positive: true });
    const d = checkInt('TdnnClassifier: embedding', spec.embedding, { min: 2 });
    checkInt('TdnnClassifier: classes', spec.classes, { min: 2 });
    if (spec.blocks.length === 0)
      throw new ArgumentError('TdnnClassifier: blocks expected at least one [kernel, dilation]');
    const frame: Layer[] = [];
    let width = F;
    for (const [kernel, dilation] of spec.blocks) {
      frame.push(
        new Conv1d(width, C, kernel, initRng, { dilation, padding: 'same' }),
        new ReLU(),
        new BatchNorm1d(C),
      );
      width = C;
    }
    this.frameLayers = this.registerModule('frames', new Sequential(...frame));
    this.pool = this.registerModule('pool', new StatsPooling());
    this.pre = this.registerModule(
      'pre',
      new Sequential(new BatchNorm1d(2 * C), new Linear(2 * C, d, initRng), new ReLU()),
    );
    const hybrid = spec.device !== 'none' && spec.device !== 'identity';
    this.projection =
      spec.device === 'none' ? this.registerModule('projection', new Linear(d, d, initRng)) : null;
    this.physical = hybrid
      ? this.registerModule(
          'device',
          new PhysicalLayer(
            makeImperfectDevice(spec.device as Exclude<DeviceKind, 'none' | 'identity'>, d, {
              seed: spec.deviceSeed,
              rank: spec.layer.rank ?? 10,
              ...spec.imperfections,
            }),
            layerRng,
            spec.layer,
          ),
        )
      : null;
    const center: Layer[] = hybrid && spec.center !== false ? [new CenterRows()] : [];
    const drop: Layer[] = spec.dropout > 0 ? [new Dropout(spec.dropout, dropoutRng)] : [];
    this.post = this.registerModule(
      'post',
      new Sequential(
        ...center,
        new BatchNorm1d(d),
        new ReLU(),
        ...drop,
        new Linear(d, spec.classes, initRng),
      ),
    );
  }

  /** x: [B, T, F] or flat [B, T·F] (as the evaluation helper passes it) → logits [B, classes]. */
  async forward(x: Tensor): Promise<Tensor> {
    const { frames: T, features: F } = this.spec;
    let seq = x;
    if (x.ndim === 2 && x.shape[1] === T * F) seq = x.reshape([x.shape[0]!, T, F]);
    if (seq.ndim !== 3 || seq.shape[2] !== F) {
      throw new ShapeError(
        `TdnnClassifier: x expected [B, T, ${F}] or [B, ${T * F}], got ${formatShape(x.shape)}`,
      );
    }
    const h = this.pre.forward(this.pool.forward(this.frameLayers.forward(seq)));
    let e = h;
    if (this.projection) e = this.projection.forward(h);
    else if (this.physical) e = await this.physical.forward(h);
    return this.post.forward(e);
  }

  /** Parameters of the digital layers (the device's ω and gain have their own optimizer). */
  digitalParameters(): [string, Parameter][] {
    return this.namedParameters().filter(([n]) => !n.startsWith('device.'));
  }

  /** "F×T-[C k/d…]-pool 2C-d-[device d→d]-classes" for logs and reports. */
  describe(): string {
    const { features: F, frames: T, channels: C, embedding: d, classes, device } = this.spec;
    const blocks = this.spec.blocks.map(([k, dil]) => `${k}/${dil}`).join(',');
    const proj =
      device === 'none' ? `Linear ${d}→${d}` : device === 'identity' ? 'removed' : `${device} ${d}→${d}`;
    return `${T}×${F} → TDNN ${C}ch [k/dil ${blocks}] → stats ${2 * C} → ${d} → [${proj}] → ${classes}`;
  }
}
