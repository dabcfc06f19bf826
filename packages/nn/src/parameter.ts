import { type DType, Tensor, type TypedArray } from '@tenzo/tensor';

/** A trainable tensor: a leaf with requiresGrad set, owned by a Module. */
export class Parameter extends Tensor {
  constructor(data: TypedArray, shape: readonly number[], dtype?: DType) {
    super(data, shape, dtype);
    this.requiresGrad = true;
  }

  /** A parameter holding a copy of t's values, with t's shape and dtype. */
  static from(t: Tensor): Parameter {
    return new Parameter(t.data.slice(), t.shape, t.dtype);
  }
}
