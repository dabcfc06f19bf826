import { broadcastShapes, type Shape, stridesOf } from '@tenzo/tensor';

/**
 * The broadcast of a and b collapsed to exactly 4 dimensions (leading 1s padded): merged where
 * both inputs walk neighbouring dimensions contiguously. null when more than 4 remain.
 */
export function broadcastPlan(a: Shape, b: Shape) {
  const outShape = broadcastShapes('gpu', a, b);
  const nd = outShape.length;
  const strides = (s: Shape) => {
    const st = stridesOf(s);
    return outShape.map((d, i) => {
      const j = i - (nd - s.length);
      return j < 0 || (s[j] === 1 && d !== 1) ? 0 : st[j]!;
    });
  };
  const fa = strides(a);
  const fb = strides(b);
  const dims: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let d = 0; d < nd; d++) {
    const size = outShape[d]!;
    if (size === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && sa[last] === fa[d]! * size && sb[last] === fb[d]! * size) {
      dims[last]! *= size;
      sa[last] = fa[d]!;
      sb[last] = fb[d]!;
      continue;
    }
    dims.push(size);
    sa.push(fa[d]!);
    sb.push(fb[d]!);
  }
  if (dims.length > 4) return null;
  while (dims.length < 4) {
    dims.unshift(1);
    sa.unshift(0);
    sb.unshift(0);
  }
  return { outShape, dims, sa, sb };
}
