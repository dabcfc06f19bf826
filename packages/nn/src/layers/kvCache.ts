import { checkInt, OutOfRangeError, StateError } from '@tenzo/core';
import { concat, type Tensor } from '@tenzo/tensor';

/** Keys and values of one attention layer: [B, H, length, headDim] each, or null before the first token. */
export class LayerKVCache {
  k: Tensor | null = null;
  v: Tensor | null = null;

  /** Number of cached positions (0 before the first token). */
  get length(): number {
    return this.k ? this.k.shape[2]! : 0;
  }

  /** Appends new keys/values [B, H, T, headDim] and returns the full cache contents. */
  append(k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    this.k = this.k ? concat([this.k, k.detach()], 2) : k.detach();
    this.v = this.v ? concat([this.v, v.detach()], 2) : v.detach();
    return { k: this.k, v: this.v };
  }

  /** Keeps the first `length` positions (rolls back rejected speculative tokens). */
  truncate(length: number): void {
    checkInt('LayerKVCache.truncate: length', length, { min: 0 });
    if (length > this.length)
      throw new OutOfRangeError(`LayerKVCache.truncate: length expected ≤ ${this.length}, got ${length}`);
    if (length === this.length) return;
    if (length === 0 || !this.k || !this.v) {
      this.k = null;
      this.v = null;
      return;
    }
    const [b, h, , d] = this.k.shape as [number, number, number, number];
    this.k = this.k.slice([0, 0, 0, 0], [b, h, length, d]);
    this.v = this.v.slice([0, 0, 0, 0], [b, h, length, d]);
  }
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
