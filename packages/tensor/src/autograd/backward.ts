import { formatShape, ShapeError, StateError } from '@tenzo/core';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from './gradMode.js';

/**
 * Reverse-mode accumulation from `root`. Nodes are visited in reverse topological order
 * (iteratively, so graphs thousands of ops deep do not overflow the stack); gradients of
 * leaves that require them are added to `.grad`, and intermediates keep theirs only when
 * `retainGrad()` was called.
 */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new StateError(
      'backward: the tensor does not require grad (no input had requiresGrad set, or it was computed under noGrad)',
    );
  }
  let seed = gradient;
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new ShapeError(
        `backward: gradient can be implicit only for a single-element output, got shape ${formatShape(root.shape)}`,
      );
    }
    seed = root.onesLike();
  } else if (!shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(
      `backward: gradient expected shape ${formatShape(root.shape)}, got ${formatShape(seed.shape)}`,
    );
  }

  // iterative post-order DFS
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const next = inputs[i]!;
      if (next.requiresGrad && !visited.has(next)) {
        visited.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }

  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  noGrad(() => {
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      if (t.node === null || t.retainsGrad) t.grad = t.grad === null ? g : t.grad.add(g);
      if (t.node === null) continue;
      const inputGrads = t.node.backward(g);
      const inputs = t.node.inputs;
      for (let j = 0; j < inputs.length; j++) {
        const x = inputs[j]!;
        const gx = inputGrads[j];
        if (!x.requiresGrad || gx === null || gx === undefined) continue;
        if (!shapesEqual(gx.shape, x.shape)) {
          throw new ShapeError(
            `backward of '${t.node.name}': gradient for input ${j} expected shape ${formatShape(x.shape)}, got ${formatShape(gx.shape)}`,
          );
        }
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? gx : prev.add(gx));
      }
    }
  });
}
