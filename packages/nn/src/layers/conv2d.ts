import { checkInt, formatShape, type Rng, ShapeError } from '@tenzo/core';
import { allocate, customOp, type DType, fromTypedArray, type Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { lecunUniform } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';

/** Options of `Conv2d`: stride and zero padding in pixels, bias and dtype. */
export interface Conv2dOptions {
  /** pixels between successive outputs along both axes (default 1) */
  stride?: number;
  /** zero rows/columns added on every side (default 0, 'valid' as in PyTorch) */
  padding?: number;
  bias?: boolean;
  dtype?: DType;
}

interface Conv2dGeometry {
  batch: number;
  hIn: number;
  wIn: number;
  hOut: number;
  wOut: number;
  cIn: number;
  kernel: number;
  stride: number;
  pad: number;
}

/**
 * Visits every (column entry, input pixel) pair of the im2col matrix: `visit(col, px)` with col
 * the flat index into [B·H_out·W_out, C_in·K·K] (the weight's (c_in, ky, kx) order) and px the
 * flat index into x [B, H, W, C_in]. Taps that fall in the zero padding are skipped.
 */
function forEachTap(g: Conv2dGeometry, visit: (col: number, px: number) => void): void {
  const { batch, hIn, wIn, hOut, wOut, cIn, kernel, stride, pad } = g;
  const kk = kernel * kernel;
  const width = cIn * kk;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < hOut; i++) {
      for (let j = 0; j < wOut; j++) {
        const row = ((b * hOut + i) * wOut + j) * width;
        for (let ky = 0; ky < kernel; ky++) {
          const sy = i * stride + ky - pad;
          if (sy < 0 || sy >= hIn) continue;
          for (let kx = 0; kx < kernel; kx++) {
            const sx = j * stride + kx - pad;
            if (sx < 0 || sx >= wIn) continue;
            const px = ((b * hIn + sy) * wIn + sx) * cIn;
            const tap = row + ky * kernel + kx;
            for (let c = 0; c < cIn; c++) visit(tap + c * kk, px + c);
          }
        }
      }
    }
  }
}

/** im2col: the [B·H_out·W_out, C_in·K·K] matrix whose row (b, i, j) holds what output pixel (i, j) sees. */
function im2col(x: Tensor, g: Conv2dGeometry): Tensor {
  const width = g.cIn * g.kernel * g.kernel;
  const cols = allocate(x.dtype, g.batch * g.hOut * g.wOut * width);
  const src = x.data;
  forEachTap(g, (col, px) => {
    cols[col] = src[px]!;
  });
  return fromTypedArray(cols, [g.batch * g.hOut * g.wOut, width]);
}

/** The adjoint of im2col: scatter-adds the column gradients back onto the input pixels. */
function col2im(dcols: Tensor, g: Conv2dGeometry): Tensor {
  const dx = allocate(dcols.dtype, g.batch * g.hIn * g.wIn * g.cIn);
  const src = dcols.data;
  forEachTap(g, (col, px) => {
    dx[px]! += src[col]!;
  });
  return fromTypedArray(dx, [g.batch, g.hIn, g.wIn, g.cIn]);
}

/** [H_out, W_out] = ⌊(H + 2·padding − K) / stride⌋ + 1 (and likewise for W), as PyTorch. */
export function conv2dOutputSize(
  h: number,
  w: number,
  kernel: number,
  stride = 1,
  padding = 0,
): [number, number] {
  checkInt('conv2dOutputSize: h', h);
  checkInt('conv2dOutputSize: w', w);
  checkInt('conv2dOutputSize: kernel', kernel, { positive: true });
  checkInt('conv2dOutputSize: stride', stride, { positive: true });
  checkInt('conv2dOutputSize: padding', padding);
  if (kernel > Math.min(h, w) + 2 * padding)
    throw new ShapeError(`conv2dOutputSize: kernel ${kernel} is larger than the padded ${h}×${w} input`);
  return [
    Math.floor((h + 2 * padding - kernel) / stride) + 1,
    Math.floor((w + 2 * padding - kernel) / stride) + 1,
  ];
}

/**
 * 2-D convolution (cross-correlation) of images with square kernels.
 *
 * Layout: x [B, H, W, C_in] → y [B, H_out, W_out, C_out], channels last as in {@link conv1d}:
 * flattening y gives the feature vector a following Linear (or a physical layer) consumes,
 * and the im2col GEMM lands in that layout with no transpose. The weight keeps PyTorch's
 * [C_out, C_in, K, K]. H_out = ⌊(H + 2·padding − K) / stride⌋ + 1, likewise W_out.
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  opts: Omit<Conv2dOptions, 'bias' | 'dtype'> = {},
): Tensor {
  checkInput('conv2d: x', x);
  checkInput('conv2d: weight', weight);
  const name = 'conv2d';
  if (weight.ndim !== 4 || weight.shape[2] !== weight.shape[3])
    throw new ShapeError(`${name}: weight expected [C_out, C_in, K, K], got ${formatShape(weight.shape)}`);
  const [cOut, cIn, kernel] = weight.shape as [number, number, number, number];
  if (x.ndim !== 4 || x.shape[3] !== cIn)
    throw new ShapeError(
      `${name}: x expected [B, H, W, ${cIn}] (channels last), got ${formatShape(x.shape)}`,
    );
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== cOut))
    throw new ShapeError(`${name}: bias expected [${cOut}], got ${formatShape(bias.shape)}`);
  const stride = checkInt(`${name}: stride`, opts.stride ?? 1, { positive: true });
  const pad = checkInt(`${name}: padding`, opts.padding ?? 0);
  const [batch, hIn, wIn] = x.shape as [number, number, number, number];
  if (Math.min(hIn, wIn) + 2 * pad < kernel) {
    throw new ShapeError(
      `${name}: x is ${hIn}×${wIn}, smaller than the ${kernel}×${kernel} kernel after padding ${pad}`,
    );
  }
  const [hOut, wOut] = conv2dOutputSize(hIn, wIn, kernel, stride, pad);
  const g: Conv2dGeometry = { batch, hIn, wIn, hOut, wOut, cIn, kernel, stride, pad };
  const y = conv2dOp(g, cOut)(x, weight);
  return bias ? y.add(bias) : y;
}

function conv2dOp(g: Conv2dGeometry, cOut: number) {
  const width = g.cIn * g.kernel * g.kernel;
  const rows = g.batch * g.hOut * g.wOut;
  return customOp<Tensor>({
    name: 'conv2d',
    forward: (x, w) => {
      const cols = im2col(x, g);
      const y = cols.matmul(w.reshape([cOut, width]), { transposeB: true });
      return { output: y.reshape([g.batch, g.hOut, g.wOut, cOut]), saved: cols };
    },
    backward: (dy, { inputs, saved: cols }) => {
      const w = inputs[1]!;
      const dy2 = dy.reshape([rows, cOut]);
      const dw = dy2.matmul(cols, { transposeA: true }).reshape([cOut, g.cIn, g.kernel, g.kernel]);
      const dx = col2im(dy2.matmul(w.reshape([cOut, width])), g);
      return [dx, dw];
    },
  });
}

/**
 * A 2-D convolution layer over [B, H, W, C_in] (see {@link conv2d} for the layout).
 * weight [C_out, C_in, K, K], bias [C_out], both U(±1/√(C_in·K²)) as PyTorch initialises them.
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly stride: number;
  readonly padding: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    rng: Rng,
    opts: Conv2dOptions = {},
  ) {
    super();
    checkInt('Conv2d: inChannels', inChannels, { positive: true });
    checkInt('Conv2d: outChannels', outChannels, { positive: true });
    checkInt('Conv2d: kernelSize', kernelSize, { positive: true });
    this.stride = checkInt('Conv2d: stride', opts.stride ?? 1, { positive: true });
    this.padding = checkInt('Conv2d: padding', opts.padding ?? 0);
    const dtype = opts.dtype ?? 'float32';
    const fanIn = inChannels * kernelSize * kernelSize;
    this.weight = this.registerParameter(
      'weight',
      lecunUniform([outChannels, inChannels, kernelSize, kernelSize], fanIn, rng, dtype),
    );
    this.bias =
      opts.bias === false
        ? null
        : this.registerParameter('bias', lecunUniform([outChannels], fanIn, rng, dtype));
  }

  /** Output height and width for an H×W input. */
  outputSize(h: number, w: number): [number, number] {
    return conv2dOutputSize(h, w, this.kernelSize, this.stride, this.padding);
  }

  /** x: [B, H, W, C_in] → [B, H_out, W_out, C_out]. */
  forward(x: Tensor): Tensor {
    checkInput('Conv2d.forward', x);
    if (x.ndim !== 4 || x.shape[3] !== this.inChannels) {
      throw new ShapeError(
        `Conv2d(${this.inChannels}→${this.outChannels}, k=${this.kernelSize}): x expected [B, H, W, ${this.inChannels}] (channels last), got ${formatShape(x.shape)}`,
      );
    }
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}
