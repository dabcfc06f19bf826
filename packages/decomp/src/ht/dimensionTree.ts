import { ArgumentError, checkInt, describeValue } from '@tenzo/core';

/** One node of a binary dimension tree. */
export interface TreeNode {
  /** position in `DimensionTree.nodes` (the root is 0) */
  id: number;
  /** parent id, −1 at the root */
  parent: number;
  /** child ids, −1 at a leaf */
  left: number;
  right: number;
  /** depth (root 0) */
  level: number;
  /** the real dimensions below this node, left subtree first (empty for a dummy node) */
  dims: Int32Array;
  /** the dimension of a real leaf, −1 for internal and dummy nodes */
  dim: number;
  /** true when the subtree holds only dummy dimensions (rank 1, never visited) */
  dummy: boolean;
}

/** A balanced binary dimension tree over d real dimensions (HTBB.md §1). */
export interface DimensionTree {
  /** number of real dimensions */
  d: number;
  /** nodes in pre-order (parents before children); nodes[0] is the root */
  nodes: TreeNode[];
  /** node ids in post-order (children before parents), root last */
  postorder: Int32Array;
}

/**
 * Balanced dimension tree: d is rounded up to a power of two with dummy size-1 dimensions at the
 * end, the root's list [order of the real dims, dummies] is split in halves recursively. `order`
 * (default identity) is the permutation of the real dimensions at the root (HTBB permutes
 * them at random for approximation).
 */
export function balancedTree(d: number, order?: ArrayLike<number>): DimensionTree {
  checkInt('balancedTree: d', d, { min: 2, max: 1 << 20 });
  let real: number[];
  if (order === undefined) real = Array.from({ length: d }, (_, k) => k);
  else {
    real = Array.from(order);
    const seen = new Uint8Array(d);
    const bad =
      real.length !== d ||
      real.some((k) => {
        if (!Number.isInteger(k) || k < 0 || k >= d || seen[k] === 1) return true;
        seen[k] = 1;
        return false;
      });
    if (bad) {
      throw new ArgumentError(
        `balancedTree: order must be a permutation of 0..${d - 1}, got [${real.join(', ')}]`,
      );
    }
  }
  let size = 1;
  while (size < d) size *= 2;
  const all = [...real, ...Array.from({ length: size - d }, (_, k) => d + k)];
  const nodes: TreeNode[] = [];
  const post: number[] = [];
  const build = (list: number[], parent: number, level: number): number => {
    const id = nodes.length;
    const node: TreeNode = {
      id,
      parent,
      left: -1,
      right: -1,
      level,
      dims: new Int32Array(0),
      dim: -1,
      dummy: false,
    };
    nodes.push(node);
    if (list.length === 1) {
      const k = list[0]!;
      node.dummy = k >= d;
      node.dim = node.dummy ? -1 : k;
      node.dims = node.dummy ? new Int32Array(0) : Int32Array.of(k);
    } else {
      const half = list.length / 2;
      node.left = build(list.slice(0, half), id, level + 1);
      node.right = build(list.slice(half), id, level + 1);
      const L = nodes[node.left]!;
      const R = nodes[node.right]!;
      node.dummy = L.dummy && R.dummy;
      const dims = new Int32Array(L.dims.length + R.dims.length);
      dims.set(L.dims);
      dims.set(R.dims, L.dims.length);
      node.dims = dims;
    }
    post.push(id);
    return id;
  };
  build(all, -1, 0);
  return { d, nodes, postorder: Int32Array.from(post) };
}

/** The other child of a node's parent. */
export function sibling(tree: DimensionTree, id: number): number {
  if (typeof tree !== 'object' || tree === null || !Array.isArray(tree.nodes))
    throw new ArgumentError(`sibling: tree expected a DimensionTree, got ${describeValue(tree)}`);
  checkInt('sibling: id', id, { max: tree.nodes.length - 1 });
  const p = tree.nodes[tree.nodes[id]!.parent];
  if (p === undefined) throw new ArgumentError(`sibling: node ${id} is the root`);
  return p.left === id ? p.right : p.left;
}
