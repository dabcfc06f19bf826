import { checkInt, checkNumber, formatShape, OutOfRangeError, ShapeError } from '@tenzo/core';
import { concat, type DType, Tensor } from '@tenzo/tensor';

/** Options of `RotaryEmbedding`: the base of the inverse frequencies and the dtype. */
export interface RotaryOptions {
  /** base of the inverse frequencies θ_i = base^(−2i/headDim) (RoFormer uses 10000) */
  base?: number;
  dtype?: DType;
}

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in the half-split layout of GPT-NeoX:
 * x = [x₁, x₂] (halves of the head dimension) ↦ [x₁ cos − x₂ sin, x₂ cos + x₁ sin] with angle
 * p·θ_i at absolute position p. Rotating q and k makes q·k depend only on relative position,
 * and `offset` lets a KV-cached decoder rotate new tokens at their absolute positions.
 */
export class RotaryEmbedding {
  /** [maxSeqLen, headDim/2] */
  readonly cos: Tensor;
  readonly sin: Tensor;

  constructor(
    readonly headDim: number,
    readonly maxSeqLen: number,
    opts: RotaryOptions = {},
  ) {
    checkInt('RotaryEmbedding: headDim', headDim, { positive: true });
    if (headDim % 2 !== 0)
      throw new ShapeError(`RotaryEmbedding: headDim expected an even number, got ${headDim}`);
    checkInt('RotaryEmbedding: maxSeqLen', maxSeqLen, {
      positive: true,
      max: Math.floor((2 ** 31 - 1) / headDim),
    });
    const base = checkNumber('RotaryEmbedding: base', opts.base ?? 10000, { gt: 1 });
    const half = headDim / 2;
    const dtype = opts.dtype ?? 'float32';
    const c = dtype === 'float64' ? new Float64Array(maxSeqLen * half) : new Float32Array(maxSeqLen * half);
    const s = dtype === 'float64' ? new Float64Array(maxSeqLen * half) : new Float32Array(maxSeqLen * half);
    for (let p = 0; p < maxSeqLen; p++) {
      for (let i = 0; i < half; i++) {
        const angle = p * base ** (-(2 * i) / headDim);
        c[p * half + i] = Math.cos(angle);
        s[p * half + i] = Math.sin(angle);
      }
    }
    this.cos = new Tensor(c, [maxSeqLen, half], dtype);
    this.sin = new Tensor(s, [maxSeqLen, half], dtype);
  }

  /** x: [..., T, headDim] at positions offset..offset+T−1 → rotated x, same shape. */
  apply(x: Tensor, offset = 0): Tensor {
    const t = x.shape[x.ndim - 2];
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== this.headDim || t === undefined) {
      throw new ShapeError(
        `RotaryEmbedding: x expected [..., T, ${this.headDim}], got ${formatShape(x.shape)}`,
      );
    }
    checkInt('RotaryEmbedding: offset', offset, { min: 0 });
    if (offset + t > this.maxSeqLen) {
      throw new OutOfRangeError(
        `RotaryEmbedding: positions expected < maxSeqLen ${this.maxSeqLen}, got up to ${offset + t - 1}`,
      );
    }
    const half = this.headDim / 2;
    const cos = this.cos.slice([offset, 0], [t, half]);
    const sin = this.sin.slice([offset, 0], [t, half]);
    const [x1, x2] = x.split(2, -1) as [Tensor, Tensor];
    return concat([x1.mul(cos).sub(x2.mul(sin)), x2.mul(cos).add(x1.mul(sin))], -1);
  }
}
