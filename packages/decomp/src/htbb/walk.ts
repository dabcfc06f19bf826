import { sibling } from '../ht/dimensionTree.js';
import type { HtbbState } from './htbbState.js';

/**
 * The least-visited-first random walk over the tree (HTBB.md §3). Going DOWN from a node it
 * enters the child whose subtree has the smaller average visit count (ties at random) with
 * update_down; at a leaf it turns UP (the leaf's update_down is counted twice, as in the
 * reference, whose second call repeats the first on identical data); going UP it runs
 * update_up, climbs to the parent (a visit too) and then either continues up or dives into the
 * sibling subtree, whichever region is less visited; below the root it always crosses to the
 * sibling. Runs until `stop()` (checked before every step; it may be async, e.g. to validate the
 * interpolant at the end of a sweep) is true or an update reports an exhausted budget.
 */
export async function htbbWalk(state: HtbbState, stop: () => boolean | Promise<boolean>): Promise<void> {
  const tree = state.tree;
  const nodes = tree.nodes;
  let v = 0;
  let down = true;
  const enter = async (t: number): Promise<boolean> => {
    if (!(await state.updateDown(t))) return false;
    state.visit(t);
    v = t;
    down = true;
    return true;
  };
  while (!(await stop())) {
    const node = nodes[v]!;
    if (down) {
      if (node.left < 0) {
        state.visit(v);
        down = false;
        continue;
      }
      const L = nodes[node.left]!;
      const R = nodes[node.right]!;
      let c: number;
      if (L.dummy) c = R.id;
      else if (R.dummy) c = L.id;
      else {
        const al = state.subtreeAverage(L.id);
        const ar = state.subtreeAverage(R.id);
        c = al < ar ? L.id : ar < al ? R.id : state.coin() ? L.id : R.id;
      }
      if (!(await enter(c))) return;
      continue;
    }
    if (!(await state.updateUp(v, true))) return;
    const p = node.parent;
    const s = sibling(tree, v);
    if (nodes[p]!.parent < 0) {
      if (!(await enter(s))) return;
      continue;
    }
    if (nodes[s]!.dummy) {
      v = p;
      continue;
    }
    // climbing counts as a visit of the parent (as in the reference's uniform_walk)
    state.visit(p);
    const inside = state.subtreeAverage(s);
    const outside = state.outsideAverage(p);
    const dive = inside < outside || (inside === outside && state.coin());
    if (dive) {
      if (!(await enter(s))) return;
    } else v = p;
  }
}
