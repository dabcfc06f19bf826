import { checkInt, formatShape, OutOfRangeError, ShapeError, StateError } from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';

/**
 * Keys and values of one attention layer: [B, H, length, headDim] each, or null before the first
 * token. Rolling back (truncate) only moves the length; the next append copies the kept
 * positions and the new ones into fresh tensors, so a rejected speculative draft costs no copy.
 */
export class LayerKVCache {
  private kAll: Tensor | null = null;
  private vAll: Tensor | null = null;
  private kept = 0;

  /** Number of cached positions (0 before the first token). */
  get length(): number {
    return this.kept;
  }

  /** The cached keys [B, H, length, headDim] (null when empty). */
  get k(): Tensor | null {
    return prefix(this.kAll, this.kept);
  }

  /** The cached values [B, H, length, headDim] (null when empty). */
  get v(): Tensor | null {
    return prefix(this.vAll, this.kept);
  }

  /**
   * Appends new keys/values [B, H, T, headDim] and returns the full cache contents.
   * @throws ShapeError when they are not [B, H, T, headDim] of the cached B, H and headDim, or differ in dtype
   */
  append(k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    // both are built before either is stored: a refused v leaves the cache as it was
    const nk = extend('k', this.kAll, this.kept, k.detach());
    const nv = extend('v', this.vAll, this.kept, v.detach());
    if (nv.shape[2] !== nk.shape[2])
      throw new ShapeError(
        `LayerKVCache.append: k and v expected the same number of positions, got ${formatShape(k.shape)} and ${formatShape(v.shape)}`,
      );
    this.kAll = nk;
    this.vAll = nv;
    this.kept = nk.shape[2]!;
    return { k: nk, v: nv };
  }

  /** Keeps the first `length` positions (rolls back rejected speculative tokens). */
  truncate(length: number): void {
    checkInt('LayerKVCache.truncate: length', length, { min: 0 });
    if (length > this.length)
      throw new OutOfRangeError(`LayerKVCache.truncate: length expected ≤ ${this.length}, got ${length}`);
    this.kept = length;
    if (length === 0) {
      this.kAll = null;
      this.vAll = null;
    }
  }
}

/** The first `length` positions of a [B, H, L, d] cache tensor (itself when L = length). */
function prefix(t: Tensor | null, length: number): Tensor | null {
  if (!t || length === 0) return null;
  const [b, h, l, d] = t.shape as [number, number, number, number];
  return l === length ? t : t.slice([0, 0, 0, 0], [b, h, length, d]);
}

/** [B, H, kept + T, d]: the first `kept` positions of `old` then `add`, copied row by row. */
function extend(name: string, old: Tensor | null, kept: number, add: Tensor): Tensor {
  if (add.ndim !== 4)
    throw new ShapeError(
      `LayerKVCache.append: ${name} expected [B, H, T, headDim], got ${formatShape(add.shape)}`,
    );
  if (!old || kept === 0) return add;
  const [b, h, l, d] = old.shape as [number, number, number, number];
  const t = add.shape[2]!;
  if (add.shape[0] !== b || add.shape[1] !== h || add.shape[3] !== d || add.dtype !== old.dtype)
    throw new ShapeError(
      `LayerKVCache.append: ${name} expected [${b}, ${h}, T, ${d}] ${old.dtype} like the cache, got ${formatShape(add.shape)} ${add.dtype}`,
    );
  const src = old.data;
  const more = add.data;
  const out =
    old.dtype === 'float64'
      ? new Float64Array(b * h * (kept + t) * d)
      : new Float32Array(b * h * (kept + t) * d);
  for (let r = 0; r < b * h; r++) {
    out.set(src.subarray(r * l * d, (r * l + kept) * d), r * (kept + t) * d);
    out.set(more.subarray(r * t * d, (r + 1) * t * d), (r * (kept + t) + kept) * d);
  }
  return new Tensor(out, [b, h, kept + t, d], old.dtype);
}

/**
 * Key/value cache of a decoder for incremental decoding: a forward over T new tokens attends to
 * the `length` cached positions plus themselves, so generation costs one short forward per step.
 * Tensors are detached: the cache is for inference, not for backpropagation through time.
 */
export class KVCache {
  readonly layers: LayerKVCache[];

  constructor(readonly nLayers: number) {
    checkInt('KVCache: nLayers', nLayers, { positive: true, max: 1 << 16 });
    this.layers = Array.from({ length: nLayers }, () => new LayerKVCache());
  }

  /** Number of cached positions (the same in every layer). */
  get length(): number {
    return this.layers[0]!.length;
  }

  /**
   * The cache of attention layer i.
   * @throws StateError when i is not in [0, nLayers)
   */
  layer(i: number): LayerKVCache {
    const l = this.layers[i];
    if (!l) throw new StateError(`KVCache: layer ${i} expected in [0, ${this.nLayers}), got ${i}`);
    return l;
  }

  /**
   * Keeps the first `length` positions in every layer (rolls back rejected speculative tokens).
   * @throws OutOfRangeError when length exceeds the cached length
   */
  truncate(length: number): void {
    for (const l of this.layers) l.truncate(length);
  }

  /** Empties every layer's cache. */
  clear(): void {
    this.truncate(0);
  }
}
