import { ArgumentError, checkObject, type Rng } from '@tenzo/core';
import { Dropout, type Layer, Linear, ReLU, Sequential } from '@tenzo/nn';
import type { DeviceKind } from '../makeDevice.js';
import type { PhysicalLayerOptions } from '../options.js';
import type { LayerDevice } from '../physicalLayer.js';
import { type ConvFrontSpec, convFrontLayers, convFrontWidth } from './convFront.js';
import { DeviceSlotClassifier } from './deviceSlot.js';

/**
 * The shape of a {@link HybridMlp}: inputs, device width W and outputs, dropout, the device in the hidden
 * layer (a kind or a device), an optional conv front, the PhysicalLayer options and the device's seed.
 */
export interface HybridMlpSpec {
  /** subtract the per-sample mean of the device outputs before the ReLU (default true) */
  center?: boolean;
  /** a digital bias after the device (see DeviceSlotSpec; default false) */
  deviceBias?: boolean;
  inputs: number;
  /** device width W; with a conv front it must equal {@link convFrontWidth} */
  width: number;
  outputs: number;
  dropout: number;
  /**
   * 'none': a digital Linear(W, W) in the device's place (the all-digital network of this shape);
   * a simulator's kind (built by `makeDevice`); or a W → W device built beforehand — a
   * `RemoteDevice` from `await remoteDevice(...)`, a lab's own driver
   */
  device: DeviceKind | LayerDevice;
  /** default: a dense Linear(inputs → W) */
  conv?: ConvFrontSpec | undefined;
  layer: PhysicalLayerOptions;
  /** the simulated device's own seed (its fixed parts), see makeDevice */
  deviceSeed: number;
  /** a simulated usv layer with an input phase screen per mesh (see DeviceSlotSpec) */
  phaseScreens?: boolean;
}

/**
 * x [B, inputs] → front → ReLU → Dropout → [device W → W] → [CenterRows] → ReLU → Dropout
 *   → Linear(W → outputs) → logits [B, outputs].
 *
 * The front is a dense Linear(inputs → W), or with `conv` a small convolution of the image whose
 * flattened feature maps are the W device inputs. The conv front is the shape in which the device
 * carries the network's capacity: without the device the network is a few conv filters and a
 * linear readout (3.5 points below the digital network of that shape on MNIST), while the dense
 * front alone is already a one-hidden-layer MLP, to which a second hidden layer adds under a point.
 * `device: 'none'` puts a digital Linear(W, W) where the device is (the digital network of the
 * same shape); `device: 'identity'` removes the layer (the "layer removed" baseline).
 *
 * The digital weights draw from `initRng` (front, [middle], readout), the dropout masks from
 * `dropoutRng`, and the PhysicalLayer (ω, gain, surrogate) from `layerRng`.
 */
export class HybridMlp extends DeviceSlotClassifier {
  constructor(spec: HybridMlpSpec, initRng: Rng, dropoutRng: Rng, layerRng: Rng) {
    checkObject('HybridMlp: spec', spec);
    const drop = (): Layer[] => (spec.dropout > 0 ? [new Dropout(spec.dropout, dropoutRng)] : []);
    const conv = spec.conv;
    if (conv && convFrontWidth(conv) !== spec.width) {
      throw new ArgumentError(
        `HybridMlp: width: expected the conv front's ${conv.channels}·H_out·W_out = ${convFrontWidth(conv)} features, got ${spec.width}`,
      );
    }
    if (conv && conv.height * conv.width !== spec.inputs) {
      throw new ArgumentError(
        `HybridMlp: inputs: expected the ${conv.height}×${conv.width} image's ${conv.height * conv.width} pixels, got ${spec.inputs}`,
      );
    }
    super(
      'HybridMlp',
      spec,
      spec.width,
      {
        pre: () => {
          const front: Layer[] = conv
            ? convFrontLayers(conv, initRng)
            : [new Linear(spec.inputs, spec.width, initRng)];
          return new Sequential(...front, new ReLU(), ...drop());
        },
        post: (center) =>
          new Sequential(...center, new ReLU(), ...drop(), new Linear(spec.width, spec.outputs, initRng)),
      },
      initRng,
      layerRng,
    );
  }
}
