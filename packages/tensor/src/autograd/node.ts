import type { Tensor } from '../tensor.js';

/**
 * One recorded operation: how to turn the gradient of its output into gradients of its
 * inputs. `backward` runs with recording disabled and may return null for inputs that get no
 * gradient (integer-like arguments, masks).
 */
export interface GradNode {
  /** the kernel or op that recorded it, for messages */
  readonly name: string;
  /** the op's inputs, in order */
  readonly inputs: readonly Tensor[];
  /** dy (the output's gradient) → one gradient per input, null or undefined for none */
  readonly backward: (dy: Tensor) => readonly (Tensor | null | undefined)[];
}
