import {
  ArgumentError,
  checkInt,
  checkOneOf,
  describeValue,
  formatShape,
  Rng,
  ShapeError,
} from '@tenzo/core';
import { Linear, Module, type Parameter } from '@tenzo/nn';
import { concat, type DType, type Tensor } from '@tenzo/tensor';

/**
 * The shape of the CP (canonical polyadic) multi-token heads: model width, vocabulary size, future tokens
 * n, CP rank r (experts in the mixture), the per-expert map ('linear' or a residual 'ffn') and its hidden
 * width, and the dtype.
 */
export interface CPHeadsConfig {
  dModel: number;
  vocabSize: number;
  /** number of future tokens predicted jointly */
  n: number;
  /** CP rank r: number of experts in the mixture */
  rank: number;
  /**
   * h_{s,α}: 'linear' (identity-initialised d×d map, plus small noise that breaks the symmetry
   * between experts) or 'ffn' (residual GELU FFN, e + W₂ gelu(W₁ e), W₂ initialised at zero)
   */
  map?: 'linear' | 'ffn';
  /** hidden width of the 'ffn' map (default dModel) */
  ffnHidden?: number;
  dtype?: DType;
}

/**
 * Rank-r canonical (CP) heads for n future tokens (Basharin et al. 2024, eq. 3):
 *
 *   P(x_{t+1..t+n} | e_t) = Σ_α w_α(e_t) Π_s softmax(U h_{s,α}(e_t))[x_{t+s}],  w = softmax(W_g e_t)
 *
 * with U the shared unembedding [V, d] of the trunk (not owned here, so it is neither saved nor
 * optimised twice). The maps of head s are stored stacked, weight [r·d, d], so one matmul gives all
 * r experts of a head. r = 1 is Gloeckle et al.'s independent heads.
 */
export class CPHeads extends Module {
  readonly config: Required<CPHeadsConfig>;
  readonly gate: Linear;
  /** per head s: d → r·d (the r expert maps side by side) */
  readonly maps: Linear[];
  /** per head s with map 'ffn': r·d → r·d block-diagonal output layer, stored as r separate layers */
  readonly ffnOut: Linear[][];
  private unembeddingRef: Tensor | null = null;

  constructor(config: CPHeadsConfig, rng: Rng) {
    super();
    if (typeof config !== 'object' || config === null)
      throw new ArgumentError(`CPHeads: config: expected a CPHeadsConfig, got ${describeValue(config)}`);
    if (!(rng instanceof Rng))
      throw new ArgumentError(`CPHeads: rng: expected an Rng, got ${describeValue(rng)}`);
    const c: Required<CPHeadsConfig> = {
      map: 'linear',
      ffnHidden: config.dModel,
      dtype: 'float32',
      ...config,
    };
    checkInt('CPHeads: dModel', c.dModel, { positive: true });
    checkInt('CPHeads: vocabSize', c.vocabSize, { positive: true });
    checkInt('CPHeads: n', c.n, { positive: true });
    checkInt('CPHeads: rank', c.rank, { positive: true });
    checkOneOf('CPHeads: map', c.map, ['linear', 'ffn'] as const);
    this.config = c;
    const { dModel: d, rank: r, dtype } = c;
    this.gate = this.registerModule('gate', new Linear(d, r, rng, { dtype }));
    this.maps = [];
    this.ffnOut = [];
    for (let s = 0; s < c.n; s++) {
      if (c.map === 'linear') {
        const lin = new Linear(d, r * d, rng, { dtype });
        // W_{s,α} = I + N(0, 0.01²): every expert starts as the trunk's own next-token head
        rng.fillNormal(lin.weight.data, 0, 0.01);
        for (let a = 0; a < r; a++) for (let i = 0; i < d; i++) lin.weight.data[(a * d + i) * d + i]! += 1;
        lin.bias!.data.fill(0);
        this.maps.push(this.registerModule(`map${s}`, lin));
        this.ffnOut.push([]);
      } else {
        this.maps.push(this.registerModule(`map${s}`, new Linear(d, r * c.ffnHidden, rng, { dtype })));
        const outs = Array.from({ length: r }, (_, a) => {
          const o = new Linear(c.ffnHidden, d, rng, { dtype });
          o.weight.data.fill(0);
          o.bias!.data.fill(0);
          return this.registerModule(`ffnOut${s}_${a}`, o);
        });
        this.ffnOut.push(outs);
      }
    }
  }

  /** Binds the shared unembedding U [vocabSize, dModel] (the trunk's tied embedding). */
  bindUnembedding(u: Parameter | Tensor): this {
    if (u.ndim !== 2 || u.shape[0] !== this.config.vocabSize || u.shape[1] !== this.config.dModel) {
      throw new ShapeError(
        `CPHeads: unembedding expected [${this.config.vocabSize}, ${this.config.dModel}], got ${formatShape(u.shape)}`,
      );
    }
    this.unembeddingRef = u;
    return this;
  }

  /**
   * The unembedding matrix bound with `bindUnembedding` (the trunk's, shared).
   * @throws ShapeError when none is bound
   */
  get unembedding(): Tensor {
    if (!this.unembeddingRef)
      throw new ShapeError('CPHeads: no unembedding bound; call bindUnembedding(U) first');
    return this.unembeddingRef;
  }

  private checkE(e: Tensor): void {
    if (e.ndim !== 2 || e.shape[1] !== this.config.dModel)
      throw new ShapeError(`CPHeads: e expected [N, ${this.config.dModel}], got ${formatShape(e.shape)}`);
  }

  /** log w: e [N, d] → [N, r]. */
  logGate(e: Tensor): Tensor {
    this.checkE(e);
    return this.gate.forward(e).logSoftmax(-1);
  }

  /** h_{s,α}(e) for all α: e [N, d] → [N, r, d]. */
  expertStates(e: Tensor, s: number): Tensor {
    this.checkE(e);
    checkInt('CPHeads: s', s, { min: 0, max: this.config.n - 1 });
    const n = e.shape[0]!;
    const { rank: r, dModel: d } = this.config;
    const y = this.maps[s]!.forward(e);
    if (this.config.map === 'linear') return y.reshape([n, r, d]);
    const hid = y.gelu({ approximate: 'tanh' }).split(r, -1);
    const outs = hid.map((h, a) => this.ffnOut[s]![a]!.forward(h).add(e).reshape([n, 1, d]));
    return r === 1 ? outs[0]! : concat(outs, 1);
  }

  /** log P^{(s)}_α(· | e): e [N, d] → [N, r, V]; only one head's r·V logits exist at a time. */
  logProbs(e: Tensor, s: number): Tensor {
    const n = e.shape[0]!;
    const { rank: r, dModel: d, vocabSize: v } = this.config;
    // one [N·r, d] × [d, V] product: a broadcast batch of N small [r, d] products is several times slower
    const h = this.expertStates(e, s).reshape([n * r, d]);
    return h.matmul(this.unembedding, { transposeB: true }).logSoftmax(-1).reshape([n, r, v]);
  }

  /** Trunk states e: [N, dModel] → the log gate weights of the r experts: [N, r] (see `logGate`). */
  forward(e: Tensor): Tensor {
    return this.logGate(e);
  }
}
