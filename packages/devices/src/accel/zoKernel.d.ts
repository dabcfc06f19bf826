/**
 * Everything a worker needs for directions of one projected ZO estimate (typed arrays may live
 * on SharedArrayBuffers). p: parameter count; C, S, … are length p unless noted.
 */
export interface ZoKernelSpec {
  /** the elementwise law h of A_k = h(ω_k), or 'mesh' (an MZI mesh of ideal classical cells) */
  readonly law: 'cos' | 'allPass' | 'mesh';
  readonly p: number;
  /** M_BB, the number of directions (the 1/q of the estimate) */
  readonly q: number;
  readonly mu: number;
  readonly directions: 'gaussian' | 'rademacher';
  /** the direction stream's 64-bit key */
  readonly key0: number;
  readonly key1: number;
  /** 'cos': scale·G·cos ω and scale·G·sin ω; 'allPass': cos ω and sin ω */
  readonly C: Float64Array;
  readonly S: Float64Array;
  /** 'allPass' only: 2G, t(ω) and the ring constants α = a² + r², β = 2ar, γ = 1 + a²r² */
  readonly G2: Float64Array;
  readonly T0: Float64Array;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** ω − lower and upper − ω (∞ when unbounded), and their smallest entry */
  readonly slackLo: Float64Array;
  readonly slackHi: Float64Array;
  readonly minSlack: number;
  /**
   * 'rademacher' only: with Plus_k, Minus_k = G_k (h(ω_k ± μ) − h(ω_k)) (bounds applied),
   * Diff = Plus − Minus and minusSum = Σ_k Minus_k
   */
  readonly Diff: Float64Array;
  readonly minusSum: number;
  /** σ‖W‖_F of Gaussian readout noise (0: none) and the noise stream's key */
  readonly noiseScale: number;
  readonly noiseKey0: number;
  readonly noiseKey1: number;
  /** measured baseline − noiseless baseline (the baseline query's own noise) */
  readonly baseOffset: number;
  /**
   * 'mesh' only: modes n, probed rows, outputs read, cell transmission η, the cells in
   * application order (top mode, ω offset of their two phases), cos/sin of both phases per cell,
   * the probed inputs X0 (n×rows, mode-major), the weights Wm (d_out×rows, mode-major) and
   * ⟨f_ω(P), W⟩ without noise
   */
  readonly n?: number;
  readonly rows?: number;
  readonly dOut?: number;
  readonly eta?: number;
  readonly blockMode?: Int32Array;
  readonly blockOff?: Int32Array;
  readonly C0?: Float64Array;
  readonly S0?: Float64Array;
  readonly C1?: Float64Array;
  readonly S1?: Float64Array;
  readonly X0?: Float64Array;
  readonly Wm?: Float64Array;
  readonly cleanBase?: number;
  /**
   * 'fields' chunks: the probed rows P (rows×d_in) and their weights W (rows×d_out), of which
   * they write G = WᵀP row by row (with `rows`, `dOut` above and `dIn`)
   */
  readonly P?: Float64Array;
  readonly W?: Float64Array;
  readonly dIn?: number;
  /**
   * 'fields' chunks and a mesh's directions: @tenzo/tensor's WebAssembly kernels, compiled (see
   * `tensorKernels`); a mesh without it runs its cells in JavaScript (same bits)
   */
  readonly gemm?: object;
  /** elementwise setup inputs: scale ('cos'), G = WᵀP, ω and the bounds; out: Minus (Rademacher) */
  readonly scale?: number;
  readonly G?: Float64Array;
  readonly omega?: Float64Array;
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
  readonly Minus?: Float64Array;
  /** out: d_i for every direction (length q) */
  readonly diffs: Float64Array;
  /** out: chunk c's Σ_i (d_i/q) u_i at [c·p, (c+1)·p) */
  readonly partials: Float64Array;
  /** 'reduce' chunks: the number of direction chunks, and out: their sum ω̄ (length p) */
  readonly parts?: number;
  readonly grad?: Float64Array;
}

/**
 * One device query y = A x_b for the rows of X, sharded by outputs ('query' chunks, see
 * `queryColumns`); the arrays live on SharedArrayBuffers when workers run chunks.
 */
export interface QueryKernelSpec {
  /** rows of X, and the device's widths */
  readonly batch: number;
  readonly dIn: number;
  readonly dOut: number;
  /** the device's matrix (d_out×d_in, row-major): read, and first written when `build` */
  readonly A: Float64Array;
  /** X: batch×d_in (as the device sees it); out: batch×d_out */
  readonly X: Float64Array;
  readonly out: Float64Array;
  /** @tenzo/tensor's WebAssembly kernels, compiled (see `tensorKernels`) */
  readonly gemm: object;
  /** true: A is built in the chunks from the phases φ (length d_out·d_in) by the law */
  readonly build: boolean;
  readonly law: 'cos' | 'allPass';
  readonly phi: Float64Array;
  /** 'cos': A = scale·cos φ */
  readonly scale: number;
  /** 'allPass': A = 2 √((α − β cos φ)/(γ − β cos φ)) − 1 */
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

/** What a chunk runs on: a projected ZO estimate or a sharded query. */
export type KernelSpec = ZoKernelSpec | QueryKernelSpec;

/** Runs directions [first, last) as chunk `chunk` (writes spec.diffs and partials of the chunk). */
export function zoChunk(spec: ZoKernelSpec, first: number, last: number, chunk: number): void;

/** ⟨Re(U(ω + μu) X)[:d_out], W⟩ of a 'mesh' spec (u = null: at ω); re, im: n×rows scratch. */
export function meshContract(
  spec: ZoKernelSpec,
  u: Float64Array | null,
  re: Float64Array,
  im: Float64Array,
): number;

/** Fills the per-entry tables of an elementwise spec for entries [first, last). */
export function elementwiseSetup(spec: ZoKernelSpec, first: number, last: number): void;

/** Sums the direction chunks' partials into spec.grad for entries [first, last), in chunk order. */
export function reducePartials(spec: ZoKernelSpec, first: number, last: number): void;

/** Rows [first, last) of G = WᵀP and the tables of their entries (a 'fields' chunk). */
export function fieldRows(spec: ZoKernelSpec, first: number, last: number): void;

/** Outputs [first, last) of a sharded query (a 'query' chunk). */
export function queryColumns(spec: QueryKernelSpec, first: number, last: number): void;

/** Runs one chunk of any kind (directions, 'setup', 'fields', 'reduce' or 'query'). */
export function runChunk(spec: KernelSpec, chunk: import('./executor.js').ZoChunk): void;

/**
 * Runs chunks until none is left unclaimed (each thread takes the next index from the shared
 * counter next[0]); returns how many this thread ran.
 */
export function claimChunks(
  spec: KernelSpec,
  chunks: readonly import('./executor.js').ZoChunk[],
  next: Int32Array,
): number;

/**
 * Applies a mesh's blocks in order to a mode-major complex state through @tenzo/tensor's
 * `meshBlocks64` (the same bits as the JavaScript loop).
 */
export function applyBlocksWasm(
  module: object,
  re: Float64Array,
  im: Float64Array,
  rows: number,
  mode: Int32Array,
  index: Int32Array,
  mats: Float64Array,
): void;
