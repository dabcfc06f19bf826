import { formatShape, ShapeError } from '@tenzo/core';
import { allocate, customOp, fromTypedArray, type Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { BatchNormBase, type BatchNormOptions } from './batchNorm1d.js';

/** A per-channel gradient [C] in the dtype of the parameter `like`. */
function perChannel(g: Float64Array, like: Tensor): Tensor {
  const out = allocate(like.dtype, g.length);
  out.set(g);
  return fromTypedArray(out, [g.length]);
}

/** What the training-mode kernel keeps for its backward: x̂ and 1/√(σ² + ε) per channel. */
interface TrainSaved {
  xhat: Float64Array;
  inv: Float64Array;
}

/**
 * Training-mode batch norm of x [N·C] (channels last, C fastest) in one pass per statistic:
 * y = γ·(x − μ_c)/√(σ²_c + ε) + β with the batch's mean and population variance. Returns the
 * op, and writes μ and σ² (population) into `stats` for the running averages.
 */
function trainOp(c: number, eps: number, stats: { mean: Float64Array; variance: Float64Array }) {
  return customOp<TrainSaved>({
    name: 'batchNorm2d',
    forward: (x, weight, bias) => {
      const xs = x.data;
      const n = xs.length / c;
      const mean = stats.mean;
      const variance = stats.variance;
      mean.fill(0);
      variance.fill(0);
      for (let r = 0; r < xs.length; r += c) for (let k = 0; k < c; k++) mean[k]! += xs[r + k]!;
      for (let k = 0; k < c; k++) mean[k]! /= n;
      for (let r = 0; r < xs.length; r += c)
        for (let k = 0; k < c; k++) {
          const d = xs[r + k]! - mean[k]!;
          variance[k]! += d * d;
        }
      const inv = new Float64Array(c);
      for (let k = 0; k < c; k++) {
        variance[k]! /= n;
        inv[k] = 1 / Math.sqrt(variance[k]! + eps);
      }
      const g = weight.data;
      const b = bias.data;
      const xhat = new Float64Array(xs.length);
      const y = allocate(x.dtype, xs.length);
      for (let r = 0; r < xs.length; r += c)
        for (let k = 0; k < c; k++) {
          const h = (xs[r + k]! - mean[k]!) * inv[k]!;
          xhat[r + k] = h;
          y[r + k] = h * g[k]! + b[k]!;
        }
      return { output: fromTypedArray(y, x.shape), saved: { xhat, inv } };
    },
    backward: (dy, { inputs, saved: { xhat, inv } }) => {
      const [x, weight] = inputs as [Tensor, Tensor];
      const d = dy.data;
      const n = d.length / c;
      const g = weight.data;
      const dg = new Float64Array(c);
      const db = new Float64Array(c);
      for (let r = 0; r < d.length; r += c)
        for (let k = 0; k < c; k++) {
          db[k]! += d[r + k]!;
          dg[k]! += d[r + k]! * xhat[r + k]!;
        }
      // dx = γ/(N·σ) · (N·dy − Σdy − x̂·Σ(dy·x̂)), per channel
      const dx = allocate(x.dtype, d.length);
      for (let r = 0; r < d.length; r += c)
        for (let k = 0; k < c; k++)
          dx[r + k] = ((g[k]! * inv[k]!) / n) * (n * d[r + k]! - db[k]! - xhat[r + k]! * dg[k]!);
      return [fromTypedArray(dx, x.shape), perChannel(dg, weight), perChannel(db, weight)];
    },
  });
}

/** Eval-mode batch norm with fixed statistics: y = γ·(x − m_c)·inv_c + β (inv_c = 1/√(v_c + ε)). */
function evalOp(mean: Float64Array, inv: Float64Array) {
  const c = mean.length;
  return customOp({
    name: 'batchNorm2d.eval',
    forward: (x, weight, bias) => {
      const xs = x.data;
      const g = weight.data;
      const b = bias.data;
      const y = allocate(x.dtype, xs.length);
      for (let r = 0; r < xs.length; r += c)
        for (let k = 0; k < c; k++) y[r + k] = (xs[r + k]! - mean[k]!) * inv[k]! * g[k]! + b[k]!;
      return fromTypedArray(y, x.shape);
    },
    backward: (dy, { inputs }) => {
      const [x, weight] = inputs as [Tensor, Tensor];
      const d = dy.data;
      const xs = x.data;
      const g = weight.data;
      const dx = allocate(x.dtype, d.length);
      const dg = new Float64Array(c);
      const db = new Float64Array(c);
      for (let r = 0; r < d.length; r += c)
        for (let k = 0; k < c; k++) {
          const dyv = d[r + k]!;
          dx[r + k] = dyv * g[k]! * inv[k]!;
          dg[k]! += dyv * (xs[r + k]! - mean[k]!) * inv[k]!;
          db[k]! += dyv;
        }
      return [fromTypedArray(dx, x.shape), perChannel(dg, weight), perChannel(db, weight)];
    },
  });
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015) of images, channels last as {@link Conv2d}:
 * x [B, H, W, C] → the same shape, each channel normalised over the batch and both spatial axes.
 * Training uses the batch's mean and population variance and updates the running averages with
 * weight `momentum` (the variance with Bessel's correction, as PyTorch's BatchNorm2d); eval uses
 * the running averages, so an image's output does not depend on the batch it sits in.
 * Parameters `weight` (γ, ones) and `bias` (β, zeros) [C]; buffers `runningMean` (zeros) and
 * `runningVar` (ones) [C], saved with the state dict. A fused kernel (one pass per statistic,
 * the closed-form backward), so a conv net's normalisations cost a few passes over the activations.
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super('BatchNorm2d', numFeatures, opts);
  }

  /**
   * x: [B, H, W, C] → [B, H, W, C], normalised per channel (batch statistics in training, running
   * averages in eval).
   * @throws ShapeError when x is not [B, H, W, C], or in training when a channel has a single value
   */
  forward(x: Tensor): Tensor {
    checkInput('BatchNorm2d.forward', x);
    const c = this.numFeatures;
    if (x.ndim !== 4 || x.shape[3] !== c) {
      throw new ShapeError(
        `BatchNorm2d(${c}): x expected [B, H, W, ${c}] (channels last), got ${formatShape(x.shape)}`,
      );
    }
    if (!this.training) {
      const mean = Float64Array.from(this.runningMean.data);
      const inv = Float64Array.from(this.runningVar.data, (v) => 1 / Math.sqrt(v + this.eps));
      return evalOp(mean, inv)(x, this.weight, this.bias);
    }
    const count = x.size / c;
    if (count < 2)
      throw new ShapeError(
        `BatchNorm2d(${c}): training expected more than one value per channel, got x ${formatShape(x.shape)}`,
      );
    const stats = { mean: new Float64Array(c), variance: new Float64Array(c) };
    const y = trainOp(c, this.eps, stats)(x, this.weight, this.bias);
    this.track(stats.mean, stats.variance, count);
    return y;
  }
}
