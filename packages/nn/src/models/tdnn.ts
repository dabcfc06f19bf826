import { ArgumentError, checkInt, formatShape, type Rng, ShapeError } from '@tenzo/core';
import type { Tensor } from '@tenzo/tensor';
import { ReLU } from '../layers/activation.js';
import { BatchNorm1d } from '../layers/batchNorm1d.js';
import { Conv1d } from '../layers/conv1d.js';
import { Dropout } from '../layers/dropout.js';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../layers/sequential.js';
import { StatsPooling } from '../layers/statsPooling.js';
import { type Layer, Module } from '../module.js';

/**
 * The shape of a TDNN/x-vector classifier: feature bins and frames per clip, channels, the kernel size and
 * dilation of each frame-level block, embedding width, classes and dropout.
 */
export interface TdnnSpec {
  /** feature bins per frame F (mel bands or cepstra) */
  features: number;
  /** frames per clip T (flat inputs [B, T·F] are reshaped to [B, T, F]) */
  frames: number;
  /** channels C of the frame-level convolutions */
  channels: number;
  /** kernel size and dilation of each frame-level block (x-vector style: [5,1], [3,2], [3,3]) */
  blocks: readonly (readonly [kernel: number, dilation: number])[];
  /** embedding width d: the size of the d → d projection */
  embedding: number;
  classes: number;
  /** dropout before the classifier */
  dropout: number;
}

/** A module in the d → d projection's place, [B, d] → [B, d]; it may answer asynchronously. */
export interface TdnnProjection {
  /** registered under this name: its parameters are `${name}.…` (the digital Linear's is 'projection') */
  name: string;
  /** the module itself: x [B, d] → [B, d], synchronously or not */
  module: Module & {
    /** x: [B, d] → [B, d] */
    forward(x: Tensor): Tensor | Promise<Tensor>;
  };
  /** layers between it and the BatchNorm1d(d), at the head of `post` (e.g. CenterRows) */
  after?: readonly Layer[];
  /** how `describe()` shows it, e.g. 'slm 64→64' */
  label: string;
}

/**
 * Options of the TDNN builder: what fills the d → d projection (the digital Linear by default, nothing, or
 * a module from a factory).
 */
export interface TdnnOptions {
  /**
   * What fills the d → d projection: `undefined` keeps the digital Linear(d, d), `null` removes it,
   * a factory puts another module there. The factory is called with d at the projection's turn,
   * after the layers before it are built (so `initRng` draws stay in order).
   */
  projection?: ((d: number) => TdnnProjection) | null | undefined;
}

/**
 * A compact TDNN keyword classifier in the shape of x-vector / ECAPA-TDNN, channels last:
 *
 *   x [B, T, F] → {Conv1d(k, dilation, 'same') → ReLU → BatchNorm1d}×blocks → [B, T, C]
 *     → StatsPooling → [B, 2C] → BatchNorm1d → Linear(2C → d) → ReLU
 *     → projection d → d  (Linear(d, d); or removed; or a module in its place, see TdnnOptions)
 *     → BatchNorm1d(d) → ReLU → Dropout → Linear(d → classes)
 *
 * The pooled statistics are mapped to d first, so the d → d projection that produces the
 * embedding (ECAPA-TDNN's 6144 → 192) can be square, the layer a physical device replaces
 * (`@tenzo/hybrid`'s HybridTdnn). A ReLU sits between Linear(2C → d) and the projection so that
 * the two do not collapse into one linear map (which would make the "removed" baseline trivially
 * as expressive). The convolutions and Linears draw from `initRng` in the order above; `dropoutRng`
 * drives the dropout masks.
 */
export class TdnnClassifier extends Module {
  readonly frameLayers: Sequential;
  readonly pool: StatsPooling;
  readonly pre: Sequential;
  /** what fills the d → d slot; null when removed */
  readonly projection: TdnnProjection['module'] | null;
  readonly post: Sequential;
  private readonly projectionLabel: string;

  constructor(
    readonly spec: TdnnSpec,
    initRng: Rng,
    dropoutRng: Rng,
    opts: TdnnOptions = {},
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
    let after: readonly Layer[] = [];
    if (opts.projection === undefined) {
      this.projection = this.registerModule('projection', new Linear(d, d, initRng));
      this.projectionLabel = `Linear ${d}→${d}`;
    } else if (opts.projection === null) {
      this.projection = null;
      this.projectionLabel = 'removed';
    } else {
      const slot = opts.projection(d);
      this.projection = this.registerModule(slot.name, slot.module);
      this.projectionLabel = slot.label;
      after = slot.after ?? [];
    }
    const drop: Layer[] = spec.dropout > 0 ? [new Dropout(spec.dropout, dropoutRng)] : [];
    this.post = this.registerModule(
      'post',
      new Sequential(...after, new BatchNorm1d(d), new ReLU(), ...drop, new Linear(d, spec.classes, initRng)),
    );
  }

  /** x: [B, T, F] or flat [B, T·F] (as an evaluation loop over flat rows passes it) → logits [B, classes]. */
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
    return this.post.forward(this.projection ? await this.projection.forward(h) : h);
  }

  /** "T×F → TDNN Cch [k/dil …] → stats 2C → d → [projection] → classes" for logs and reports. */
  describe(): string {
    const { features: F, frames: T, channels: C, embedding: d, classes } = this.spec;
    const blocks = this.spec.blocks.map(([k, dil]) => `${k}/${dil}`).join(',');
    return `${T}×${F} → TDNN ${C}ch [k/dil ${blocks}] → stats ${2 * C} → ${d} → [${this.projectionLabel}] → ${classes}`;
  }
}
