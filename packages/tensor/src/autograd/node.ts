import type { Tensor } from '../tensor.js';

/**
 * One recorded operation: how to turn the gradient of its output into gradients of its
 * inputs. `backward` runs with recording disabled and may return null for inputs that get no
 * gradient (integer-like arguments, masks).
 */
export interface GradNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (dy: Tensor) => readonly (Tensor | null | undefined)[];
}
