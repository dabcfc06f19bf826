import { ArgumentError, type Rng } from '@tenzo/core';
import { Bias, CenterRows, type Layer, Linear, Module, type Parameter, type Sequential } from '@tenzo/nn';
import type { DType, Tensor } from '@tenzo/tensor';
import {
  type DeviceImperfections,
  type DeviceKind,
  makeDevice,
  type SimulatedDeviceKind,
} from '../makeDevice.js';
import type { PhysicalLayerOptions } from '../options.js';
import { type LayerDevice, PhysicalLayer } from '../physicalLayer.js';

/** What fills a hybrid classifier's W → W slot: the device, centring, the PhysicalLayer options, seed, imperfections. */
export interface DeviceSlotSpec {
  /**
   * 'none': a digital Linear(W, W); 'identity': nothing (the layer removed); a simulator's kind
   * (built by `makeDevice`); or a W → W device built beforehand (`imperfections` do not apply to it)
   */
  device: DeviceKind | LayerDevice;
  /** subtract the per-sample mean of the device outputs (CenterRows) before `post` (default true) */
  center?: boolean;
  /**
   * a digital bias after the device (a `Bias`, registered first in `post`, zero at the start):
   * what the bias of a trained Linear becomes when a device replaces it (`initFromDigital`)
   */
  deviceBias?: boolean;
  layer: PhysicalLayerOptions;
  /** the simulated device's own seed (its fixed parts), see makeDevice */
  deviceSeed: number;
  imperfections?: DeviceImperfections;
  /** a simulated usv layer with an input phase screen per mesh (see makeDevice; for `initFromDigital`) */
  phaseScreens?: boolean;
}

/** How a {@link DeviceSlotClassifier} builds the layers around its slot. */
export interface SlotLayers {
  /** the layers before the slot, x → [B, W] (built first, so they draw from initRng first) */
  pre: () => Sequential;
  /** the layers after the slot, [B, W] → logits, given the layers to put first (a Bias, a CenterRows) */
  post: (center: Layer[]) => Sequential;
  /** dtype of the digital Linear(W, W) of 'none' (default 'float32') */
  dtype?: DType;
}

/**
 * A classifier x → pre → [slot W → W] → [CenterRows] → post → logits, the shape of HybridMlp and
 * HybridCnn. The slot is a digital Linear(W, W) for `device: 'none'` (registered 'middle'; the
 * digital network of the same shape, no CenterRows), nothing for 'identity' (the layer removed), and
 * otherwise a PhysicalLayer (registered 'device') over a simulated device or the given one. The
 * digital weights draw from `initRng` in the order pre, middle, post; the PhysicalLayer from `layerRng`.
 */
export abstract class DeviceSlotClassifier extends Module {
  readonly pre: Sequential;
  readonly middle: Linear | null;
  readonly physical: PhysicalLayer | null;
  readonly post: Sequential;

  /** @throws ArgumentError when a given device is not W → W (`name` starts the message) */
  protected constructor(
    name: string,
    slot: DeviceSlotSpec,
    width: number,
    layers: SlotLayers,
    initRng: Rng,
    layerRng: Rng,
  ) {
    super();
    this.pre = this.registerModule('pre', layers.pre());
    this.middle =
      slot.device === 'none'
        ? this.registerModule(
            'middle',
            new Linear(width, width, initRng, { dtype: layers.dtype ?? 'float32' }),
          )
        : null;
    const given = typeof slot.device === 'object' ? slot.device : null;
    if (given !== null && (given.inputSize !== width || given.outputSize !== width))
      throw new ArgumentError(
        `${name}: device: expected a ${width} → ${width} device (width), got '${given.name}' ${given.inputSize} → ${given.outputSize}`,
      );
    this.physical =
      slot.device === 'identity' || slot.device === 'none'
        ? null
        : this.registerModule(
            'device',
            new PhysicalLayer(
              given ??
                makeDevice(slot.device as SimulatedDeviceKind, width, {
                  seed: slot.deviceSeed,
                  rank: slot.layer.rank ?? 10,
                  ...slot.imperfections,
                  ...(slot.phaseScreens ? { phaseScreens: true } : {}),
                }),
              layerRng,
              slot.layer,
            ),
          );
    const center: Layer[] = this.physical
      ? [
          ...(slot.deviceBias === true ? [new Bias(width, { dtype: layers.dtype ?? 'float32' })] : []),
          ...(slot.center !== false ? [new CenterRows()] : []),
        ]
      : [];
    this.post = this.registerModule('post', layers.post(center));
  }

  /** The model's input as `pre` takes it (identity here; HybridCnn reshapes images). */
  protected input(x: Tensor): Tensor {
    return x;
  }

  /**
   * What the slot receives for x: `pre`'s output [B, W] (a pretrained start measures the device's
   * programming error on these rows; call `eval()` first for the rows without dropout).
   */
  slotInputs(x: Tensor): Tensor {
    return this.pre.forward(this.input(x));
  }

  /** x → logits [B, outputs]; the slot's rows go to the device as one batch. */
  async forward(x: Tensor): Promise<Tensor> {
    const h = this.pre.forward(this.input(x));
    if (this.middle) return this.post.forward(this.middle.forward(h));
    return this.post.forward(this.physical ? await this.physical.forward(h) : h);
  }

  /** Parameters of the digital layers (the device's ω and gain have their own optimizer). */
  digitalParameters(): [string, Parameter][] {
    return [
      ...this.pre.namedParameters('pre.'),
      ...(this.middle ? this.middle.namedParameters('middle.') : []),
      ...this.post.namedParameters('post.'),
    ];
  }
}
