import type { Tensor } from '@tenzo/tensor';
import { Module } from '../module.js';

/**
 * Subtracts each row's mean across the features, x: [..., d] → x − mean(x, −1): removes the
 * common-mode part of a layer's output (y = c·Σx·1 + …). A microring bank's output is dominated by
 * it at the reference initialisation (all weights ≈ −0.26), and it would otherwise switch every
 * following ReLU off together.
 */
export class CenterRows extends Module {
  /** x: [..., d] → x − mean(x, −1), the same shape. */
  forward(x: Tensor): Tensor {
    return x.sub(x.mean({ axis: -1, keepDims: true }));
  }
}
