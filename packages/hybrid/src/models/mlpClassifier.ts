import { ArgumentError, checkArray, checkObject, type Rng } from '@tenzo/core';
import { type Module, multilayerPerceptron, type Parameter } from '@tenzo/nn';
import type { Tensor } from '@tenzo/tensor';
import type { PhysicalLayer } from '../physicalLayer.js';
import { type CnnImage, HybridCnn } from './hybridCnn.js';
import { HybridMlp, type HybridMlpSpec } from './hybridMlp.js';

/** The network {@link mlpClassifier} built, with what a training loop needs of it. */
export interface MlpClassifier {
  readonly model: Module;
  /** logits of a batch [B, inputs] → [B, outputs]; awaited when a device answers */
  readonly forward: (x: Tensor) => Tensor | Promise<Tensor>;
  /** the physical layer (a device run), else null */
  readonly physical: PhysicalLayer | null;
  /** the named digital parameters (the device's ω and gain have their own optimizer) */
  readonly digital: [string, Parameter][];
  /**
   * the shape, e.g. '784-512-256-10' (the MLP), '784-256-[slm 256→256]-10',
   * '784-conv14x14/14×16-[digital 64→64]-10'; `deviceName` names the middle layer
   */
  readonly shape: string;
}

/**
 * The classifier of a hybrid-vs-digital comparison: with neither a device (`device: 'none'`) nor
 * a conv front, the plain MLP `inputs-hidden…-outputs` (`@tenzo/nn`'s multilayerPerceptron, the
 * digital reference); otherwise a HybridMlp (the device, the layer removed, or the digital
 * Linear(W, W) of the same shape). The digital weights draw from `initRng`, the dropout masks
 * from `dropoutRng`, the PhysicalLayer from `layerRng` (untouched for the MLP).
 */
export function mlpClassifier(
  spec: HybridMlpSpec & {
    readonly hidden: readonly number[];
    readonly deviceName: string;
    /** the airbench-style CNN (HybridCnn, default stages) instead of the MLP: the device in its head */
    readonly cnn?: boolean;
    /** with `cnn`: the input image, H·W·C = inputs, channels last (default MNIST's 28 × 28 × 1) */
    readonly image?: CnnImage;
  },
  initRng: Rng,
  dropoutRng: Rng,
  layerRng: Rng,
): MlpClassifier {
  checkObject('mlpClassifier: spec', spec);
  checkArray('mlpClassifier: hidden', spec.hidden);
  const { inputs, outputs, dropout, conv, width } = spec;
  if (spec.cnn === true) {
    const { height: h, width: w, channels: c } = spec.image ?? { height: 28, width: 28, channels: 1 };
    if (conv !== undefined || inputs !== h * w * c)
      throw new ArgumentError(
        `mlpClassifier: cnn expected ${h}×${w}×${c} images (${h * w * c} inputs) without a conv front, got ${inputs} inputs${conv ? ' and a conv front' : ''}`,
      );
    const cnn = new HybridCnn({ ...spec, stages: [16, 32] }, initRng, dropoutRng, layerRng);
    return {
      model: cnn,
      forward: (x) => cnn.forward(x),
      physical: cnn.physical,
      digital: cnn.digitalParameters(),
      shape: `${inputs}-cnn16,32-${cnn.features}→${width}-[${spec.deviceName} ${width}→${width}]-${outputs}`,
    };
  }
  if (spec.device === 'none' && !conv) {
    const mlp = multilayerPerceptron({ inputs, hidden: spec.hidden, outputs, dropout }, initRng, dropoutRng);
    return {
      model: mlp,
      forward: (x) => mlp.forward(x),
      physical: null,
      digital: mlp.namedParameters(),
      shape: [inputs, ...spec.hidden, outputs].join('-'),
    };
  }
  const net = new HybridMlp(spec, initRng, dropoutRng, layerRng);
  const front = conv ? `conv${conv.kernel}x${conv.kernel}/${conv.stride}×${conv.channels}` : String(width);
  return {
    model: net,
    forward: (x) => net.forward(x),
    physical: net.physical,
    digital: net.digitalParameters(),
    shape: `${inputs}-${front}-[${spec.deviceName} ${width}→${width}]-${outputs}`,
  };
}
