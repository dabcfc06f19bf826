import { ArgumentError, checkInt, formatShape, type Rng, ShapeError } from '@tenzo/core';
import { allocate, customOp, type DType, fromTypedArray, type Tensor } from '@tenzo/tensor';
import { checkInput } from '../checkInput.js';
import { lecunUniform } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';

/** 'same' keeps T (stride 1 only), 'valid' pads nothing, a number pads both ends by that many frames. */
export type Conv1dPadding = 'same' | 'valid' | number;

/** Options of `Conv1d`: dilation, padding ('valid', 'same' or a number of frames), stride, bias and dtype. */
export interface Conv1dOptions {
  /** spacing between kernel taps in frames (default 1); TDNN layers use 1, 2, 3, … */
  dilation?: number;
  /** default 'valid', as in PyTorch */
  padding?: Conv1dPadding;
  /** frames between successive outputs (default 1) */
  stride?: number;
  bias?: boolean;
  dtype?: DType;
}

interface ConvGeometry {
  batch: number;
  tIn: number;
  tOut: number;
  cIn: number;
  kernel: number;
  dilation: number;
  stride: number;
  padLeft: number;
}

/**
 * Padding on the two ends for `padding`. 'same' splits the receptive field's extra frames
 * dilation·(K − 1) as PyTorch does: the odd frame goes to the right.
 */
function paddingOf(name: string, padding: Conv1dPadding, kernel: number, dilation: number, stride: number) {
  if (padding === 'valid') return [0, 0] as const;
  if (padding === 'same') {
    if (stride !== 1)
      throw new ArgumentError(`${name}: padding 'same' expected stride 1, got stride ${stride}`);
    const total = dilation * (kernel - 1);
    const left = Math.floor(total / 2);
    return [left, total - left] as const;
  }
  if (typeof padding === 'number') {
    checkInt(`${name}: padding`, padding);
    return [padding, padding] as const;
  }
  throw new ArgumentError(
    `${name}: padding expected 'same', 'valid' or a non-negative integer, got ${String(padding)}`,
  );
}

/**
 * im2col: the [B·T_out, C_in·K] matrix whose row (b, t) holds the K taps of every input channel
 * that output frame t sees, in the weight's (c_in, k) order; out-of-range taps are the zero padding.
 */
function im2col(x: Tensor, g: ConvGeometry): Tensor {
  const { batch, tIn, tOut, cIn, kernel, dilation, stride, padLeft } = g;
  const width = cIn * kernel;
  const cols = allocate(x.dtype, batch * tOut * width);
  const src = x.data;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < tOut; t++) {
      const row = (b * tOut + t) * width;
      for (let k = 0; k < kernel; k++) {
        const s = t * stride + k * dilation - padLeft;
        if (s < 0 || s >= tIn) continue;
        const from = (b * tIn + s) * cIn;
        for (let c = 0; c < cIn; c++) cols[row + c * kernel + k] = src[from + c]!;
      }
    }
  }
  return fromTypedArray(cols, [batch * tOut, width]);
}

/** The adjoint of im2col: scatter-adds the column gradients back onto the input frames. */
function col2im(dcols: Tensor, g: ConvGeometry): Tensor {
  const { batch, tIn, tOut, cIn, kernel, dilation, stride, padLeft } = g;
  const width = cIn * kernel;
  const dx = allocate(dcols.dtype, batch * tIn * cIn);
  const src = dcols.data;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < tOut; t++) {
      const row = (b * tOut + t) * width;
      for (let k = 0; k < kernel; k++) {
        const s = t * stride + k * dilation - padLeft;
        if (s < 0 || s >= tIn) continue;
        const to = (b * tIn + s) * cIn;
        for (let c = 0; c < cIn; c++) dx[to + c]! += src[row + c * kernel + k]!;
      }
    }
  }
  return fromTypedArray(dx, [batch, tIn, cIn]);
}

/**
 * 1-D convolution (cross-correlation, as in every deep-learning library) over time.
 *
 * Layout: x [B, T, C_in] → y [B, T_out, C_out], channels last. Audio features arrive as
 * [frames, mel bins]; channels-last makes Linear, LayerNorm and the pooling act on the last
 * axis unchanged, and the im2col GEMM [B·T_out, C_in·K] × [C_in·K, C_out] lands directly in
 * the output layout with no transpose. The weight keeps PyTorch's [C_out, C_in, K] so state
 * dicts interchange with nn.Conv1d (transpose the activations, not the weights).
 *
 * T_out = ⌊(T + padL + padR − dilation·(K − 1) − 1) / stride⌋ + 1. The backward pass is
 * written out (two GEMMs and a col2im scatter) instead of recorded as K slices, so the
 * fast matmul kernel does the work in both directions.
 */
export function conv1d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  opts: Omit<Conv1dOptions, 'bias' | 'dtype'> = {},
): Tensor {
  checkInput('conv1d: x', x);
  checkInput('conv1d: weight', weight);
  const name = 'conv1d';
  if (weight.ndim !== 3)
    throw new ShapeError(`${name}: weight expected [C_out, C_in, K], got ${formatShape(weight.shape)}`);
  const [cOut, cIn, kernel] = weight.shape as [number, number, number];
  if (x.ndim !== 3 || x.shape[2] !== cIn)
    throw new ShapeError(`${name}: x expected [B, T, ${cIn}] (channels last), got ${formatShape(x.shape)}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== cOut))
    throw new ShapeError(`${name}: bias expected [${cOut}], got ${formatShape(bias.shape)}`);
  const dilation = checkInt(`${name}: dilation`, opts.dilation ?? 1, { positive: true });
  const stride = checkInt(`${name}: stride`, opts.stride ?? 1, { positive: true });
  const [padLeft, padRight] = paddingOf(name, opts.padding ?? 'valid', kernel, dilation, stride);
  const [batch, tIn] = x.shape as [number, number, number];
  const span = dilation * (kernel - 1) + 1;
  const tOut = Math.floor((tIn + padLeft + padRight - span) / stride) + 1;
  if (tOut < 1) {
    throw new ShapeError(
      `${name}: x has ${tIn} frames, fewer than the receptive field of ${span} frames (kernel ${kernel}, dilation ${dilation}) after padding ${padLeft}+${padRight}`,
    );
  }
  const g: ConvGeometry = { batch, tIn, tOut, cIn, kernel, dilation, stride, padLeft };
  const y = convOp(g, cOut)(x, weight);
  return bias ? y.add(bias) : y;
}

function convOp(g: ConvGeometry, cOut: number) {
  const width = g.cIn * g.kernel;
  return customOp<Tensor>({
    name: 'conv1d',
    forward: (x, w) => {
      const cols = im2col(x, g);
      const y = cols.matmul(w.reshape([cOut, width]), { transposeB: true });
      return { output: y.reshape([g.batch, g.tOut, cOut]), saved: cols };
    },
    backward: (dy, { inputs, saved: cols }) => {
      const w = inputs[1]!;
      const dy2 = dy.reshape([g.batch * g.tOut, cOut]);
      const dw = dy2.matmul(cols, { transposeA: true }).reshape([cOut, g.cIn, g.kernel]);
      const dx = col2im(dy2.matmul(w.reshape([cOut, width])), g);
      return [dx, dw];
    },
  });
}

/**
 * A 1-D convolution layer over [B, T, C_in] (see {@link conv1d} for the layout and T_out).
 * weight [C_out, C_in, K], bias [C_out], both U(±1/√(C_in·K)) as PyTorch initialises them.
 */
export class Conv1d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly dilation: number;
  readonly stride: number;
  readonly padding: Conv1dPadding;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    rng: Rng,
    opts: Conv1dOptions = {},
  ) {
    super();
    checkInt('Conv1d: inChannels', inChannels, { positive: true });
    checkInt('Conv1d: outChannels', outChannels, { positive: true });
    checkInt('Conv1d: kernelSize', kernelSize, { positive: true });
    this.dilation = checkInt('Conv1d: dilation', opts.dilation ?? 1, { positive: true });
    this.stride = checkInt('Conv1d: stride', opts.stride ?? 1, { positive: true });
    this.padding = opts.padding ?? 'valid';
    paddingOf('Conv1d', this.padding, kernelSize, this.dilation, this.stride);
    const dtype = opts.dtype ?? 'float32';
    const fanIn = inChannels * kernelSize;
    this.weight = this.registerParameter(
      'weight',
      lecunUniform([outChannels, inChannels, kernelSize], fanIn, rng, dtype),
    );
    this.bias =
      opts.bias === false
        ? null
        : this.registerParameter('bias', lecunUniform([outChannels], fanIn, rng, dtype));
  }

  /** x: [B, T, C_in] → [B, T_out, C_out]. */
  forward(x: Tensor): Tensor {
    checkInput('Conv1d.forward', x);
    if (x.ndim !== 3 || x.shape[2] !== this.inChannels) {
      throw new ShapeError(
        `Conv1d(${this.inChannels}→${this.outChannels}, k=${this.kernelSize}): x expected [B, T, ${this.inChannels}] (channels last), got ${formatShape(x.shape)}`,
      );
    }
    return conv1d(x, this.weight, this.bias, {
      dilation: this.dilation,
      stride: this.stride,
      padding: this.padding,
    });
  }
}
