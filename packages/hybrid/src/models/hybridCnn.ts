import {
  ArgumentError,
  checkInt,
  checkNumber,
  checkObject,
  describeValue,
  formatShape,
  type Rng,
  ShapeError,
} from '@tenzo/core';
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  GELU,
  type Layer,
  Linear,
  MaxPool2d,
  Sequential,
} from '@tenzo/nn';
import { type DType, Tensor } from '@tenzo/tensor';
import type { DeviceKind } from '../makeDevice.js';
import type { LayerDevice } from '../physicalLayer.js';
import { DeviceSlotClassifier, type DeviceSlotSpec } from './deviceSlot.js';

/** An input image's size: height × width pixels of `channels` channels. */
export interface CnnImage {
  height: number;
  width: number;
  channels: number;
}

/**
 * The shape of a {@link HybridCnn}: the input image, the conv stages' channels, the head's device
 * width W and the class count, dropout, the device (a kind or a device), the PhysicalLayer options,
 * the device's seed and imperfections, and the digital layers' dtype.
 */
export interface HybridCnnSpec extends DeviceSlotSpec {
  /** the input image (default MNIST's 28 × 28 × 1) */
  image?: CnnImage;
  /** output channels of each conv–BN–GELU–pool stage; each stage halves both sides (default [16, 32]) */
  stages?: readonly number[];
  /** device width W: the head's hidden width, the device being W → W (default 128) */
  width?: number;
  outputs: number;
  /** dropout after each GELU of the head (default 0) */
  dropout?: number;
  /**
   * 'none': a digital Linear(W, W) in the device's place (the all-digital CNN of this shape);
   * 'identity': the layer removed; a simulator's kind (built by `makeDevice`); or a W → W device
   * built beforehand (a `RemoteDevice`, a lab's own driver; `imperfections` do not apply to it)
   */
  device: DeviceKind | LayerDevice;
  /**
   * GELU's form: 'tanh' (default), the GPT-2 approximation, half the CPU time of 'none', the exact
   * erf form (airbench's nn.GELU()); the two differ by under 1e-3 everywhere
   */
  gelu?: 'none' | 'tanh';
  /** dtype of the digital layers (default 'float32'; 'float64' for gradient checks) */
  dtype?: DType;
}

const MNIST_IMAGE: CnnImage = { height: 28, width: 28, channels: 1 };

/**
 * A small airbench-style CNN whose head has a physical device layer:
 *
 *   x [B, H, W, C] → stage(c₁) → stage(c₂) → … → flatten → Linear(→ W) → GELU → Dropout
 *     → [device W → W] → [CenterRows] → GELU → Dropout → Linear(W → outputs) → logits [B, outputs]
 *
 * with each stage Conv2d(3×3, padding 1, no bias) → BatchNorm2d → GELU → MaxPool2d(2), channels last
 * (so the defaults map MNIST's 28×28 to 14×14×16, then 7×7×32 = 1568 features). Flat images
 * [B, H·W·C] are accepted, as HybridMlp takes them, and single-channel [B, 1, H, W] too.
 * `device: 'none'` puts a digital Linear(W, W) where the device is (the digital CNN of the same
 * shape, no CenterRows); `device: 'identity'` removes the layer (the "layer removed" baseline). A
 * frozen device is the caller's `physical.frozen = true`, as with HybridMlp.
 *
 * The digital weights draw from `initRng` (stages, head Linear, [middle], readout), the dropout
 * masks from `dropoutRng`, and the PhysicalLayer (ω, gain, surrogate) from `layerRng`. The
 * BatchNorm running statistics are buffers: `eval()` before evaluating, and they travel with the
 * state dict.
 */
export class HybridCnn extends DeviceSlotClassifier {
  readonly image: CnnImage;
  /** features after the last stage, flattened (the head Linear's inputs) */
  readonly features: number;

  constructor(spec: HybridCnnSpec, initRng: Rng, dropoutRng: Rng, layerRng: Rng) {
    checkObject('HybridCnn: spec', spec);
    const image = checkImage(spec.image ?? MNIST_IMAGE);
    const stages = spec.stages ?? [16, 32];
    if (!Array.isArray(stages) || stages.length === 0)
      throw new ArgumentError('HybridCnn: stages expected a non-empty array of channel counts');
    const width = checkInt('HybridCnn: width', spec.width ?? 128, { positive: true });
    const outputs = checkInt('HybridCnn: outputs', spec.outputs, { positive: true });
    const dropout = checkNumber('HybridCnn: dropout', spec.dropout ?? 0, { min: 0, lt: 1 });
    const dtype = spec.dtype ?? 'float32';
    const form = spec.gelu ?? 'tanh';
    if (form !== 'none' && form !== 'tanh')
      throw new ArgumentError(`HybridCnn: gelu expected 'none' or 'tanh', got ${describeValue(form)}`);
    const drop = (): Layer[] => (dropout > 0 ? [new Dropout(dropout, dropoutRng)] : []);
    let [h, w, c] = [image.height, image.width, image.channels];
    stages.forEach((out, i) => {
      checkInt(`HybridCnn: stages[${i}]`, out, { positive: true });
      if (h < 2 || w < 2)
        throw new ArgumentError(
          `HybridCnn: stages: stage ${i} gets a ${h}×${w} map, too small to pool; use fewer stages or a larger image`,
        );
      [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    });
    const features = h * w * stages[stages.length - 1]!;
    super(
      'HybridCnn',
      spec,
      width,
      {
        pre: () => {
          const front: Layer[] = [];
          stages.forEach((out, i) => {
            front.push(
              new Conv2d(i === 0 ? c : stages[i - 1]!, out, 3, initRng, { padding: 1, bias: false, dtype }),
              new BatchNorm2d(out, { dtype }),
              new GELU(form),
              new MaxPool2d(2),
            );
          });
          const head = new Linear(features, width, initRng, { dtype });
          return new Sequential(...front, new Flatten(), head, new GELU(form), ...drop());
        },
        post: (center) =>
          new Sequential(
            ...center,
            new GELU(form),
            ...drop(),
            new Linear(width, outputs, initRng, { dtype }),
          ),
        dtype,
      },
      initRng,
      layerRng,
    );
    this.image = image;
    this.features = features;
  }

  /**
   * Images x: [B, H, W, C] (channels last), [B, H·W·C] (flat, as HybridMlp), or with one channel
   * [B, 1, H, W] → logits [B, outputs]; the head's hidden rows go to the device as one batch.
   * @throws ShapeError when x is none of these shapes, ArgumentError when it is not a tensor
   */
  override forward(x: Tensor): Promise<Tensor> {
    return super.forward(x);
  }

  /** x in any accepted layout → [B, H, W, C]. */
  protected override input(x: Tensor): Tensor {
    const { height, width, channels } = this.image;
    if (!(x instanceof Tensor))
      throw new ArgumentError(`HybridCnn.forward: x expected a Tensor, got ${describeValue(x)}`);
    const s = x.shape;
    const pixels = height * width * channels;
    const ok =
      (s.length === 2 && s[1] === pixels) ||
      (s.length === 4 && s[1] === height && s[2] === width && s[3] === channels) ||
      (s.length === 4 && channels === 1 && s[1] === 1 && s[2] === height && s[3] === width);
    if (!ok)
      throw new ShapeError(
        `HybridCnn: x expected [B, ${height}, ${width}, ${channels}], [B, ${pixels}]${channels === 1 ? ` or [B, 1, ${height}, ${width}]` : ''}, got ${formatShape(s)}`,
      );
    return x.reshape([s[0]!, height, width, channels]);
  }
}

function checkImage(image: CnnImage): CnnImage {
  checkObject('HybridCnn: image', image);
  return {
    height: checkInt('HybridCnn: image.height', image.height, { positive: true }),
    width: checkInt('HybridCnn: image.width', image.width, { positive: true }),
    channels: checkInt('HybridCnn: image.channels', image.channels, { positive: true }),
  };
}
