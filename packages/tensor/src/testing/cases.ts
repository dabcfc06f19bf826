import type { Rng } from '@tenzo/core';
import { allocate, type DType } from '../dtype.js';
import type { Attrs } from '../kernelRegistry.js';
import { type Shape, sizeOf } from '../shape.js';
import type { TensorData } from '../tensorData.js';

/** One kernel call to compare: inputs, attributes and how many terms each output sums. */
export interface ConformanceCase {
  label: string;
  inputs: TensorData[];
  attrs: Attrs;
  /** terms summed into one output (scales the absolute tolerance); 1 for elementwise ops */
  terms: number;
}

/**
 * What a conformance case generator gets: the `Rng`, the dtype under test and whether to include NaN, ±∞
 * and −0 among the inputs.
 */
export interface CaseContext {
  rng: Rng;
  dtype: DType;
  /** include NaN, ±Infinity and −0 among the inputs */
  specials: boolean;
}

type Domain = 'any' | 'positive' | 'awayFromZero' | 'integers' | 'binary';

function fill(ctx: CaseContext, shape: Shape, domain: Domain = 'any', scale = 1): TensorData {
  const n = sizeOf(shape);
  const data = allocate(ctx.dtype, n);
  for (let i = 0; i < n; i++) {
    const u = ctx.rng.uniformIn(-2, 2);
    data[i] =
      domain === 'positive'
        ? 0.05 + Math.abs(u)
        : domain === 'awayFromZero'
          ? Math.sign(u || 1) * (0.25 + Math.abs(u))
          : domain === 'integers'
            ? Math.round(u)
            : domain === 'binary'
              ? ctx.rng.int(2)
              : u * scale;
  }
  if (ctx.specials && domain === 'any' && n >= 4) {
    data[ctx.rng.int(n)] = Number.NaN;
    data[ctx.rng.int(n)] = Number.POSITIVE_INFINITY;
    data[ctx.rng.int(n)] = Number.NEGATIVE_INFINITY;
    data[ctx.rng.int(n)] = -0;
  }
  return { data, shape: [...shape], dtype: ctx.dtype };
}

const label = (...shapes: Shape[]) => shapes.map((s) => `[${s.join(',')}]`).join(' ');

// Shapes chosen to hit the edges: scalars, empty, 1×1, odd sizes that are no multiple of a
// SIMD width or tile (4, 8, 128, 256), and every broadcasting pattern.
const UNARY_SHAPES: Shape[] = [[], [0], [1], [1, 1], [7], [3, 5], [2, 3, 17], [33, 65]];
const BINARY_SHAPES: [Shape, Shape][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [4]],
  [[4], [3, 4]],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [2, 1, 5],
    [3, 1],
  ],
  [[], [2, 3]],
  [[2, 3], []],
  [[0, 3], [3]],
  [[1], [1]],
  [
    [1, 1],
    [1, 1],
  ],
  [
    [5, 6, 7],
    [5, 1, 7],
  ],
  [
    [17, 33],
    [17, 33],
  ],
  [
    [2, 3, 4, 5],
    [3, 1, 5],
  ],
  [[64, 129], [129]],
];
const UNARY_DOMAINS: Record<string, Domain> = {
  Log: 'positive',
  Sqrt: 'positive',
  Reciprocal: 'awayFromZero',
};

const unary = (name: string) => (ctx: CaseContext) => [
  ...UNARY_SHAPES.map((s) => ({
    label: label(s),
    inputs: [fill(ctx, s, UNARY_DOMAINS[name] ?? 'any')],
    attrs: {},
    terms: 1,
  })),
  // a wide range, past exp's float32 overflow (88.7) and underflow (−87.3) thresholds
  {
    label: '[40,50] ×60',
    inputs: [fill(ctx, [40, 50], UNARY_DOMAINS[name] ?? 'any', 60)],
    attrs: {},
    terms: 1,
  },
];

const COMPARISONS = new Set(['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual']);

const binary = (name: string) => (ctx: CaseContext) =>
  BINARY_SHAPES.map(([sa, sb]) => {
    const da: Domain = name === 'Pow' ? 'positive' : COMPARISONS.has(name) ? 'integers' : 'any';
    const db: Domain = name === 'Div' ? 'awayFromZero' : COMPARISONS.has(name) ? 'integers' : 'any';
    return { label: label(sa, sb), inputs: [fill(ctx, sa, da), fill(ctx, sb, db)], attrs: {}, terms: 1 };
  });

const REDUCE_CASES: [Shape, number[]][] = [
  [[2, 3, 4], [0]],
  [[2, 3, 4], [1]],
  [[2, 3, 4], [2]],
  [
    [2, 3, 4],
    [0, 1],
  ],
  [
    [2, 3, 4],
    [1, 2],
  ],
  [
    [2, 3, 4],
    [0, 2],
  ],
  [
    [2, 3, 4],
    [0, 1, 2],
  ],
  [[2, 3, 4], []],
  [[7], [0]],
  [
    [1, 1],
    [0, 1],
  ],
  [[0, 3], [1]],
  [[33, 65], [1]],
  [[33, 65], [0]],
  [[64, 10], [0]],
];

const reduction = (ctx: CaseContext) =>
  REDUCE_CASES.flatMap(([s, axes]) =>
    [false, true].map((keepDims) => ({
      label: `${label(s)} axes [${axes.join(',')}]${keepDims ? ' keepDims' : ''}`,
      inputs: [fill(ctx, s)],
      attrs: { axes, keepDims },
      terms: sizeOf(axes.map((a) => s[a]!)),
    })),
  );

const argReduction = (ctx: CaseContext) =>
  (
    [
      [[2, 3, 4], 0],
      [[2, 3, 4], 1],
      [[2, 3, 4], 2],
      [[7], 0],
      [[1], 0],
      [[33, 65], 1],
    ] as [Shape, number][]
  ).map(([s, axis]) => ({
    label: `${label(s)} axis ${axis}`,
    inputs: [fill(ctx, s, 'any')],
    attrs: { axis },
    terms: 1,
  }));

// (m, k, n): 1×1, empty, k = 1, sizes off every tile multiple, k past one KC=256 slice, m past MC=128
const MATMUL_SIZES: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 1],
  [3, 4, 5],
  [0, 3, 4],
  [3, 0, 4],
  [3, 4, 0],
  [17, 33, 9],
  [16, 16, 16],
  [64, 64, 64],
  [70, 130, 50],
  [1, 300, 257],
  [130, 20, 9],
  [300, 1, 40],
];
const MATMUL_BATCHES: [Shape, Shape][] = [
  [[2], []],
  [[2], [2]],
  [[1], [3]],
  [[2, 1], [3]],
  [[], [2]],
];

// No IEEE specials for MatMul: the reference skips zero entries of A (so 0·∞ gives 0 there,
// not NaN), an optimisation that no BLAS-style kernel reproduces.
const matmul = (full: CaseContext) => {
  const ctx = { ...full, specials: false };
  const cases: ConformanceCase[] = [];
  const add = (m: number, k: number, n: number, ba: Shape, bb: Shape, transA: boolean, transB: boolean) => {
    const sa = [...ba, ...(transA ? [k, m] : [m, k])];
    const sb = [...bb, ...(transB ? [n, k] : [k, n])];
    cases.push({
      label: `${label(sa, sb)}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}`,
      inputs: [fill(ctx, sa), fill(ctx, sb)],
      attrs: { transposeA: transA, transposeB: transB },
      terms: k,
    });
  };
  for (const [m, k, n] of MATMUL_SIZES)
    for (const tA of [false, true]) for (const tB of [false, true]) add(m, k, n, [], [], tA, tB);
  for (const [ba, bb] of MATMUL_BATCHES) {
    add(3, 4, 5, ba, bb, false, false);
    add(20, 30, 17, ba, bb, false, true);
    add(20, 30, 17, ba, bb, true, false);
  }
  return cases;
};

const SOFTMAX_CASES: [Shape, number, number][] = [
  [[3, 5], 1, 1],
  [[3, 5], 0, 1],
  [[2, 3, 4], 2, 1],
  [[2, 3, 4], 1, 1],
  [[7], 0, 1],
  [[1], 0, 1],
  [[1, 1], 1, 1],
  [[0, 4], 1, 1],
  [[4, 0], 1, 1],
  [[64, 10], 1, 1],
  [[3, 1001], 1, 1],
  [[300, 16], 1, 1],
  [[3, 5], 1, 100],
  [[40, 33], 1, 30],
];

const softmax = (ctx: CaseContext) =>
  SOFTMAX_CASES.map(([s, axis, scale]) => ({
    label: `${label(s)} axis ${axis}${scale !== 1 ? ` ×${scale}` : ''}`,
    inputs: [fill({ ...ctx, specials: false }, s, 'any', scale)],
    attrs: { axis },
    terms: s[axis] ?? 1,
  }));

/** Case generators by kernel name: what the conformance suite knows how to check. */
export const CASE_GENERATORS: Record<string, (ctx: CaseContext) => ConformanceCase[]> = {
  ...Object.fromEntries(
    [
      'Neg',
      'Exp',
      'Log',
      'Sqrt',
      'Abs',
      'Sign',
      'Tanh',
      'Sigmoid',
      'Relu',
      'Sin',
      'Cos',
      'Square',
      'Reciprocal',
      'Erf',
    ].map((n) => [n, unary(n)]),
  ),
  ...Object.fromEntries(
    [
      'Add',
      'Sub',
      'Mul',
      'Div',
      'Pow',
      'Maximum',
      'Minimum',
      'Equal',
      'NotEqual',
      'Greater',
      'GreaterEqual',
      'Less',
      'LessEqual',
    ].map((n) => [n, binary(n)]),
  ),
  Clamp: (ctx) =>
    UNARY_SHAPES.map((s) => ({
      label: label(s),
      inputs: [fill(ctx, s)],
      attrs: { min: -0.5, max: 0.7 },
      terms: 1,
    })),
  Gelu: (ctx) =>
    UNARY_SHAPES.flatMap((s) =>
      ['none', 'tanh'].map((approximate) => ({
        label: `${label(s)} ${approximate}`,
        inputs: [fill({ ...ctx, specials: false }, s)],
        attrs: { approximate },
        terms: 1,
      })),
    ),
  GeluGrad: (ctx) =>
    UNARY_SHAPES.flatMap((s) =>
      ['none', 'tanh'].map((approximate) => ({
        label: `${label(s)} ${approximate}`,
        inputs: [fill({ ...ctx, specials: false }, s), fill({ ...ctx, specials: false }, s)],
        attrs: { approximate },
        terms: 1,
      })),
    ),
  Where: (ctx) =>
    (
      [
        [
          [3, 4],
          [3, 4],
          [3, 4],
        ],
        [[3, 1], [1, 4], [4]],
        [[], [2, 2], [2, 2]],
        [[0, 2], [2], [2]],
        [
          [5, 1, 7],
          [6, 1],
          [5, 6, 7],
        ],
      ] as Shape[][]
    ).map(([sc, sa, sb]) => ({
      label: label(sc!, sa!, sb!),
      inputs: [fill(ctx, sc!, 'binary'), fill(ctx, sa!), fill(ctx, sb!)],
      attrs: {},
      terms: 1,
    })),
  Sum: reduction,
  Max: reduction,
  Min: reduction,
  ArgMax: argReduction,
  ArgMin: argReduction,
  MatMul: matmul,
  Softmax: softmax,
  LogSoftmax: softmax,
  BroadcastTo: (ctx) =>
    (
      [
        [[3], [2, 3]],
        [
          [3, 1],
          [3, 4],
        ],
        [[1], [5]],
        [[], [2, 2]],
        [
          [2, 1, 3],
          [2, 4, 3],
        ],
        [
          [1, 1],
          [0, 1],
        ],
        [
          [64, 1],
          [64, 1000],
        ],
      ] as [Shape, Shape][]
    ).map(([s, shape]) => ({
      label: `${label(s)} → ${label(shape)}`,
      inputs: [fill(ctx, s)],
      attrs: { shape },
      terms: 1,
    })),
  Transpose: (ctx) =>
    (
      [
        [
          [3, 5],
          [1, 0],
        ],
        [
          [2, 3, 4],
          [2, 0, 1],
        ],
        [
          [1, 1],
          [1, 0],
        ],
        [
          [0, 3],
          [1, 0],
        ],
        [
          [33, 65],
          [1, 0],
        ],
      ] as [Shape, number[]][]
    ).map(([s, perm]) => ({
      label: `${label(s)} perm [${perm.join(',')}]`,
      inputs: [fill(ctx, s)],
      attrs: { perm },
      terms: 1,
    })),
};
