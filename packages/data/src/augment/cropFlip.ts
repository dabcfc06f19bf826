import {
  checkInt,
  checkNumber,
  checkNumbers,
  checkObject,
  checkRng,
  type Rng,
  ShapeError,
} from '@tenzo/core';

/**
 * Options of `cropFlipBatch`: the images' height, width and channels (channels last), the `Rng`
 * behind every draw, the padding, whether to flip, and the value of the padded pixels.
 */
export interface CropFlipOptions {
  height: number;
  width: number;
  channels: number;
  rng: Rng;
  /** pad each side by this many pixels, then crop height×width at a uniform offset (default 4) */
  padding?: number;
  /** mirror left–right with probability ½ (default true) */
  flip?: boolean;
  /** value of the padded pixels (default 0: black, so apply before normalising) */
  fill?: number;
}

/**
 * The CIFAR training augmentation (the ResNet / airbench recipe, torchvision's
 * `RandomCrop(32, padding=4)` then `RandomHorizontalFlip()`): each image of x
 * (b×height·width·channels, channels last) is padded by `padding` pixels of `fill` on every side,
 * cropped back to height×width at a uniformly drawn offset (one `rng.int(2·padding+1)` per axis)
 * and mirrored left–right when a third draw `rng.uniform()` is below ½. Returns a new array; all
 * channels of a pixel move together.
 */
export function cropFlipBatch(x: Float32Array, opts: CropFlipOptions): Float32Array {
  const { rng } = checkObject('cropFlipBatch: opts', opts);
  checkRng('cropFlipBatch: rng', rng);
  const h = checkInt('cropFlipBatch: height', opts.height, { positive: true });
  const w = checkInt('cropFlipBatch: width', opts.width, { positive: true });
  const ch = checkInt('cropFlipBatch: channels', opts.channels, { positive: true });
  const p = checkInt('cropFlipBatch: padding', opts.padding ?? 4, { min: 0 });
  const fill = checkNumber('cropFlipBatch: fill', opts.fill ?? 0);
  checkNumbers('cropFlipBatch: x', x);
  const size = h * w * ch;
  if (x.length % size !== 0)
    throw new ShapeError(`cropFlipBatch: x: expected b×${h}×${w}×${ch} values, got ${x.length}`);
  const out = new Float32Array(x.length);
  for (let k = 0; k < x.length; k += size) {
    const dy = rng.int(2 * p + 1) - p;
    const dx = rng.int(2 * p + 1) - p;
    const mirror = opts.flip !== false && rng.uniform() < 0.5;
    for (let r = 0; r < h; r++) {
      const sr = r + dy;
      for (let c = 0; c < w; c++) {
        const sc = (mirror ? w - 1 - c : c) + dx;
        const o = k + (r * w + c) * ch;
        const inside = sr >= 0 && sr < h && sc >= 0 && sc < w;
        const s = k + (sr * w + sc) * ch;
        for (let j = 0; j < ch; j++) out[o + j] = inside ? x[s + j]! : fill;
      }
    }
  }
  return out;
}
