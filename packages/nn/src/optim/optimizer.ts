import {
  ArgumentError,
  checkArray,
  checkNumber,
  describeValue,
  FormatError,
  NonFiniteError,
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
      const g = p.grad;
      if (!g) return;
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
    if (state.meta.kind !== this.kind)
      throw new FormatError(`optimizer state: expected kind '${this.kind}', got '${state.meta.kind}'`);
    this.lr = state.meta.lr;
    this.stepCount = state.meta.stepCount;
    for (const [key, t] of Object.entries(state.slots)) {
      const dot = key.lastIndexOf('.');
      const name = key.slice(0, dot);
      const index = Number(key.slice(dot + 1));
      const p = this.params[index];
      if (!p || p.size !== t.size)
        throw new FormatError(`optimizer state: slot '${key}' does not match parameter ${index}`);
      this.slot(name, index).set(t.data);
    }
  }
}
