import type { Rng } from '@tenzo/core';
import { PhysicalLayer, type PhysicalLayerOptions } from '@tenzo/hybrid';
import { Dropout, type Layer, Linear, Module, type Parameter, ReLU, Sequential } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import { type DeviceKind, makeDevice } from './devices.js';

/**
 * Subtracts each row's mean across the features: removes the common-mode part of a device's
 * output (y = c·Σx·1 + …), which dominates a microring bank at the reference initialisation
 * (all weights ≈ −0.26) and would otherwise switch every following ReLU off together.
 */
export class CenterRows extends Module {
  forward(x: Tensor): Tensor {
    return x.sub(x.mean({ axis: -1, keepDims: true }));
  }
}

export interface HybridMlpSpec {
  /** subtract the per-sample mean of the device outputs before the ReLU (default true) */
  center?: boolean;
  inputs: number;
  width: number;
  outputs: number;
  dropout: number;
  device: Exclude<DeviceKind, 'none'>;
  layer: PhysicalLayerOptions;
  deviceSeed: number;
}

/**
 * inputs → Linear → ReLU → Dropout → [device width→width] → ReLU → Dropout → Linear → outputs.
 * The digital network of the same shape has a Linear(width, width) where the device is;
 * `device: 'identity'` removes the layer (the "layer removed" baseline).
 */
export class HybridMlp extends Module {
  readonly pre: Sequential;
  readonly post: Sequential;
  readonly physical: PhysicalLayer | null;

  constructor(spec: HybridMlpSpec, initRng: Rng, dropoutRng: Rng, layerRng: Rng) {
    super();
    const drop = (): Layer[] => (spec.dropout > 0 ? [new Dropout(spec.dropout, dropoutRng)] : []);
    this.pre = this.registerModule(
      'pre',
      new Sequential(new Linear(spec.inputs, spec.width, initRng), new ReLU(), ...drop()),
    );
    this.physical =
      spec.device === 'identity'
        ? null
        : this.registerModule(
            'device',
            new PhysicalLayer(
              makeDevice(spec.device, spec.width, { seed: spec.deviceSeed, rank: spec.layer.rank ?? 10 }),
              layerRng,
              spec.layer,
            ),
          );
    const center: Layer[] = spec.center !== false && spec.device !== 'identity' ? [new CenterRows()] : [];
    this.post = this.registerModule(
      'post',
      new Sequential(...center, new ReLU(), ...drop(), new Linear(spec.width, spec.outputs, initRng)),
    );
  }

  async forward(x: Tensor): Promise<Tensor> {
    const h = this.pre.forward(x);
    return this.post.forward(this.physical ? await this.physical.forward(h) : h);
  }

  /** Parameters of the digital layers (the device's ω and gain have their own optimizer). */
  digitalParameters(): [string, Parameter][] {
    return [...this.pre.namedParameters('pre.'), ...this.post.namedParameters('post.')];
  }
}
