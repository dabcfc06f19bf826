/**
 * The standard normal CDF Φ and quantile Φ⁻¹, and nevergrad's encoding of an ordered choice of n
 * values as one real: `TransitionChoice` bounds its datum z to (0, n) through n·Φ(z), subtracts
 * 0.5 and rounds, so z ~ N(0, 1) gives a uniform index, z = 0 gives index ⌊n/2⌋, and every value
 * it sets is moved to the centre Φ⁻¹((i + ½)/n) of its bin.
 */

const LN_SQRT_2PI = 0.9189385332046728;

/**
 * Φ(x) by Marsaglia's series (J. Stat. Softw. 11(4), 2004): Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/15 + …),
 * all terms of one sign, absolute error ~1e-15; |x| > 8.5 returns 0 or 1 (Φ is within 1e-17).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < -8.5) return 0;
  if (x > 8.5) return 1;
  let s = x;
  let t = x;
  const x2 = x * x;
  for (let i = 3; i < 400; i += 2) {
    t *= x2 / i;
    const next = s + t;
    if (next === s) break;
    s = next;
  }
  return 0.5 + s * Math.exp(-0.5 * x2 - LN_SQRT_2PI);
}

// Acklam's rational approximation of Φ⁻¹ (relative error 1.15e-9), refined by one Halley step
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p) for p in (0, 1) (±∞ at 0 and 1). */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (!(p < 1)) return p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  let x: number;
  if (p < 0.02425 || p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
    x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    if (p > 0.5) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.exp(0.5 * x * x + LN_SQRT_2PI);
  return x - u / (1 + (x * u) / 2);
}

/** TransitionChoice's bins for n values: edges Φ⁻¹(i/n), i = 1..n−1, centres Φ⁻¹((i + ½)/n), i = 0..n−1 */
export interface ChoiceBins {
  edges: Float64Array;
  centres: Float64Array;
}

const bins = new Map<number, ChoiceBins>();

/** The (cached) bins of TransitionChoice(range(n)). */
export function choiceBins(n: number): ChoiceBins {
  let b = bins.get(n);
  if (b === undefined) {
    b = {
      edges: Float64Array.from({ length: n - 1 }, (_, i) => normalQuantile((i + 1) / n)),
      centres: Float64Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n)),
    };
    bins.set(n, b);
  }
  return b;
}

/**
 * The index TransitionChoice(range(n)) reads from its datum z: round(n·Φ(z) − ½) clipped to
 * [0, n − 1], i.e. the number of edges Φ⁻¹(i/n) at or below z (z = 0 with n even sits on an
 * edge and reads n/2, as numpy's half-to-even rounding of n/2 − ½ does).
 */
export function choiceIndex(z: number, n: number): number {
  return binIndex(choiceBins(n).edges, z);
}

/** The number of `edges` (ascending) at or below z. */
export function binIndex(edges: Float64Array, z: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= z) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The datum TransitionChoice stores for index i of n (the centre of its bin): Φ⁻¹((i + ½)/n). */
export function choiceDatum(i: number, n: number): number {
  return choiceBins(n).centres[i]!;
}
