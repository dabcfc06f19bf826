import type { Rng } from '@tenzo/core';
import { PhysicalLayer, type PhysicalLayerOptions } from '@tenzo/hybrid';
import { Dropout, type Layer, Linear, Module, type Parameter, ReLU, Sequential } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import { type DeviceKind, makeDevice } from './devices.js';

export interface HybridMlpSpec {
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
    this.post = this.registerModule(
      'post',
      new Sequential(new ReLU(), ...drop(), new Linear(spec.width, spec.outputs, initRng)),
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
