import {
  ArgumentError,
  checkArray,
  checkNumber,
  describeValue,
  FormatError,
  NonFiniteError,
  ShapeError,
} from '@tenzo/core';
import { allocate, fromTypedArray, Tensor, type TypedArray } from '@tenzo/tensor';

/** A serialisable optimizer state: scalars as JSON, per-parameter slots as tensors. */
export interface OptimizerState {
  meta: { kind: string; lr: number; stepCount: number };
  /** slot tensors keyed "<slot>.<paramIndex>", e.g. "exp_avg.3" */
  slots: Record<string, Tensor>;
}

/**
 * Base of the first-order optimizers. Updates run directly on the parameters' typed arrays
 * (no graph, no temporaries). A non-finite gradient stops the step with an error that names
 * the parameter, instead of writing NaN into the weights.
 */
export abstract class Optimizer {
  lr: number;
  stepCount = 0;
  protected readonly slots = new Map<string, TypedArray[]>();

  readonly names: readonly string[];

  constructor(
    readonly params: readonly Tensor[],
    lr: number,
    names?: readonly string[],
  ) {
    checkArray('optimizer: params', params).forEach((p, i) => {
      if (!(p instanceof Tensor))
        throw new ArgumentError(`optimizer: params[${i}] expected a Tensor, got ${describeValue(p)}`);
    });
    this.names = names ?? params.map((_, i) => `param ${i}`);
    if (params.length === 0)
      throw new ArgumentError('optimizer: params expected a non-empty list of tensors');
    params.forEach((p, i) => {
      if (!p.requiresGrad) throw new ArgumentError(`optimizer: ${this.names[i]} does not require grad`);
    });
    this.lr = checkNumber('optimizer: lr', lr, { min: 0 });
  }

  /** The optimizer's name in its state dict ('adam', 'adamw', 'sgd'), checked when a state is loaded. */
  protected abstract get kind(): string;

  /** Per-parameter buffer named `slot`, zero-initialised on first use. */
  protected slot(name: string, index: number): TypedArray {
    let list = this.slots.get(name);
    if (!list) {
      list = this.params.map((p) => allocate(p.dtype, p.size));
      this.slots.set(name, list);
    }
    return list[index]!;
  }

  /** Applies one step to parameter `index`: p (its values) updated in place from g (its gradient). */
  protected abstract update(p: TypedArray, g: TypedArray, index: number): void;

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /**
   * One update of every parameter that has a gradient.
   * @throws NonFiniteError when a gradient holds NaN or ±∞ (no parameter is changed)
   */
  step(): void {
    checkNumber('optimizer: lr', this.lr, { min: 0 });
    this.params.forEach((p, i) => {
      const g = p.grad as unknown;
      if (g === null || g === undefined) return;
      if (!(g instanceof Tensor))
        throw new ArgumentError(
          `optimizer step ${this.stepCount + 1}: gradient of ${this.names[i]} expected a Tensor or null, got ${describeValue(g)}`,
        );
      // a gradient of another size would be read past its end (NaN) or only in part
      if (g.size !== p.size)
        throw new ShapeError(
          `optimizer step ${this.stepCount + 1}: gradient of ${this.names[i]} has ${g.size} entries, the parameter ${p.size}`,
        );
      for (let k = 0; k < g.data.length; k++) {
        if (!Number.isFinite(g.data[k]!)) {
          throw new NonFiniteError(
            `optimizer step ${this.stepCount + 1}: gradient of ${this.names[i]} has ${g.data[k]} at flat index ${k}`,
          );
        }
      }
    });
    this.stepCount++;
    this.params.forEach((p, i) => {
      if (p.grad) this.update(p.data, p.grad.data, i);
    });
  }

  /**
   * The optimizer's state: its kind, learning rate and step count, and every per-parameter buffer
   * (copied).
   */
  stateDict(): OptimizerState {
    const slots: Record<string, Tensor> = {};
    for (const [name, list] of this.slots) {
      list.forEach((a, i) => {
        slots[`${name}.${i}`] = fromTypedArray(a.slice(), this.params[i]!.shape);
      });
    }
    return { meta: { kind: this.kind, lr: this.lr, stepCount: this.stepCount }, slots };
  }

  /**
   * Restores a state from `stateDict`.
   * @throws FormatError when the state is another optimizer's kind or does not fit the parameters
   */
  loadStateDict(state: OptimizerState): void {
    const bad = (what: string, got: unknown): never => {
      throw new FormatError(`optimizer state: ${what}, got ${describeValue(got)}`);
    };
    if (state === null || typeof state !== 'object') bad('expected { meta, slots }', state);
    const { meta, slots } = state;
    if (meta === null || typeof meta !== 'object') bad('meta expected { kind, lr, stepCount }', meta);
    if (meta.kind !== this.kind)
      throw new FormatError(`optimizer state: expected kind '${this.kind}', got ${describeValue(meta.kind)}`);
    // NaN or a negative lr, or a fractional step count, would resume a different run
    if (typeof meta.lr !== 'number' || !Number.isFinite(meta.lr) || meta.lr < 0)
      bad('meta.lr expected a finite number ≥ 0', meta.lr);
    if (!Number.isSafeInteger(meta.stepCount) || meta.stepCount < 0)
      bad('meta.stepCount expected an integer ≥ 0', meta.stepCount);
    if (slots === null || typeof slots !== 'object' || Array.isArray(slots))
      bad('slots expected an object of tensors', slots);
    const checked = Object.entries(slots).map(([key, t]) => {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\.(\d+)$/.exec(key);
      const index = m ? Number(m[2]) : -1;
      const p = this.params[index];
      if (!m || !p) bad(`slot '${key}' expected '<name>.<parameter index below ${this.params.length}>'`, key);
      if (!(t instanceof Tensor) || t.size !== p!.size)
        bad(`slot '${key}' expected a tensor of parameter ${index}'s ${p!.size} entries`, t);
      const at = Array.prototype.findIndex.call(t.data, (v: number) => !Number.isFinite(v));
      if (at >= 0) bad(`slot '${key}' expected finite values, at flat index ${at}`, t.data[at]);
      return { name: m![1]!, index, t };
    });
    // all checked before anything is set: a refused state leaves the optimizer as it was
    this.lr = meta.lr;
    this.stepCount = meta.stepCount;
    for (const { name, index, t } of checked) this.slot(name, index).set(t.data);
  }
}
