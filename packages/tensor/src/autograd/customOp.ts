import { ArgumentError, describeValue } from '@tenzo/core';
import { recordOp } from '../engine.js';
import { Tensor } from '../tensor.js';
import { noGrad } from './gradMode.js';

/** What a custom op's backward receives: the op's inputs and output and what its forward saved. */
export interface CustomOpContext<S> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** whatever `forward` chose to keep for the backward pass */
  readonly saved: S;
}

/**
 * A differentiable op defined by its forward and a hand-written backward: its name, the forward (run
 * without recording, optionally saving data) and the backward, which maps the output's gradient to one
 * gradient per input (null for none).
 */
export interface CustomOpSpec<S> {
  name: string;
  /** Computes the output (recording is off inside). Return `{ output, saved }` to keep extra data. */
  forward: (...inputs: Tensor[]) => Tensor | { output: Tensor; saved: S };
  /** Gradients of the inputs, one per input (null where none), from the output's gradient. */
  backward: (dy: Tensor, ctx: CustomOpContext<S>) => readonly (Tensor | null | undefined)[];
}

/**
 * Defines a differentiable op from a forward and a hand-written backward — the hook for
 * fused kernels and for layers whose forward is not made of tenzo ops.
 *
 * @example
 * const square = customOp({ name: 'square', forward: (x) => x.mul(x), backward: (dy, { inputs }) => [dy.mul(inputs[0]!).mul(2)] });
 */
export function customOp<S = undefined>(spec: CustomOpSpec<S>): (...inputs: Tensor[]) => Tensor {
  if (typeof spec !== 'object' || spec === null)
    throw new ArgumentError(
      `customOp: spec expected { name, forward, backward }, got ${describeValue(spec)}`,
    );
  if (typeof spec.forward !== 'function' || typeof spec.backward !== 'function') {
    throw new ArgumentError(`customOp '${spec.name}': forward and backward expected functions`);
  }
  return (...inputs: Tensor[]) => {
    inputs.forEach((t, i) => {
      if (!(t instanceof Tensor))
        throw new ArgumentError(`${spec.name}: input ${i} expected a Tensor, got ${typeof t}`);
    });
    const res = noGrad(() => spec.forward(...inputs));
    const output = res instanceof Tensor ? res : res.output;
    const saved = (res instanceof Tensor ? undefined : res.saved) as S;
    // a fresh tensor so the user's forward result (which might alias an input) gets its own node
    const out = new Tensor(output.data, output.shape, output.dtype);
    return recordOp(spec.name, out, inputs, (dy) => spec.backward(dy, { inputs, output: out, saved }));
  };
}
