import { checkInt, formatShape, ShapeError } from '@tenzo/core';
import { allocate, customOp, fromTypedArray, type Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { Module } from '../module.js';

/**
 * 2-D max pooling of images, channels last as {@link conv2d}: x [B, H, W, C] → y [B, H_out, W_out, C]
 * with H_out = ⌊(H − kernel) / stride⌋ + 1 (likewise W_out; no padding, PyTorch's floor mode), each
 * output the largest value of its kernel × kernel window in its channel. The backward routes each
 * output's gradient to the input that was the maximum (the first one in row-major window order
 * on ties), as PyTorch does. `stride` defaults to `kernel` (non-overlapping windows).
 * @throws ShapeError when x is not [B, H, W, C] or smaller than the window
 */
export function maxPool2d(x: Tensor, kernel: number, stride: number = kernel): Tensor {
  checkInput('maxPool2d: x', x);
  checkInt('maxPool2d: kernel', kernel, { positive: true });
  checkInt('maxPool2d: stride', stride, { positive: true });
  if (x.ndim !== 4)
    throw new ShapeError(`maxPool2d: x expected [B, H, W, C] (channels last), got ${formatShape(x.shape)}`);
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  if (h < kernel || w < kernel)
    throw new ShapeError(`maxPool2d: x is ${h}×${w}, smaller than the ${kernel}×${kernel} window`);
  const hOut = Math.floor((h - kernel) / stride) + 1;
  const wOut = Math.floor((w - kernel) / stride) + 1;
  const outShape = [batch, hOut, wOut, c];
  const op = customOp<Int32Array>({
    name: 'maxPool2d',
    forward: (t) => {
      const xs = t.data;
      const y = allocate(t.dtype, batch * hOut * wOut * c);
      const arg = new Int32Array(y.length);
      for (let b = 0; b < batch; b++)
        for (let i = 0; i < hOut; i++)
          for (let j = 0; j < wOut; j++) {
            const o = ((b * hOut + i) * wOut + j) * c;
            const first = ((b * h + i * stride) * w + j * stride) * c;
            for (let k = 0; k < c; k++) {
              y[o + k] = xs[first + k]!;
              arg[o + k] = first + k;
            }
            for (let ky = 0; ky < kernel; ky++)
              for (let kx = 0; kx < kernel; kx++) {
                const p = ((b * h + i * stride + ky) * w + j * stride + kx) * c;
                for (let k = 0; k < c; k++) {
                  const v = xs[p + k]!;
                  if (v > y[o + k]!) {
                    y[o + k] = v;
                    arg[o + k] = p + k;
                  }
                }
              }
          }
      return { output: fromTypedArray(y, outShape), saved: arg };
    },
    backward: (dy, { inputs, saved: arg }) => {
      const t = inputs[0]!;
      const dx = allocate(t.dtype, t.size);
      const d = dy.data;
      for (let o = 0; o < arg.length; o++) dx[arg[o]!]! += d[o]!;
      return [fromTypedArray(dx, t.shape)];
    },
  });
  return op(x);
}

/**
 * Max pooling layer over [B, H, W, C] (see {@link maxPool2d}): kernel × kernel windows every `stride`
 * pixels (default: the kernel, so 2 halves each side).
 */
export class MaxPool2d extends Module {
  readonly stride: number;

  constructor(
    readonly kernelSize: number,
    stride?: number,
  ) {
    super();
    checkInt('MaxPool2d: kernelSize', kernelSize, { positive: true });
    this.stride = checkInt('MaxPool2d: stride', stride ?? kernelSize, { positive: true });
  }

  /** x: [B, H, W, C] → [B, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1, C]. */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.stride);
  }
}
