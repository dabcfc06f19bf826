import { ArgumentError, checkNumber, checkNumbers, checkProbabilities, OutOfRangeError } from '@tenzo/core';

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), |error| < 1e-13 for x > 0
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised upper incomplete gamma Q(a, x) (series for x < a + 1, continued fraction otherwise). */
export function gammaQ(a: number, x: number): number {
  checkNumber('gammaQ: a', a, { gt: 0 });
  checkNumber('gammaQ: x', x, { min: 0 });
  if (x === 0) return 1;
  const lg = logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let k = 1; k < 1000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return finiteQ(1 - sum * Math.exp(-x + a * Math.log(x) - lg), a, x);
  }
  // Lentz's continued fraction
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return finiteQ(Math.exp(-x + a * Math.log(x) - lg) * h, a, x);
}

/** Beyond ~1e300 the log-gamma and the series overflow; say so rather than return NaN. */
function finiteQ(q: number, a: number, x: number): number {
  if (!Number.isFinite(q))
    throw new OutOfRangeError(
      `gammaQ: a = ${a}, x = ${x}: outside the range the series evaluates in float64`,
    );
  return Math.min(1, Math.max(0, q));
}

/** A chi-square test: the statistic, its degrees of freedom and the p-value. */
export interface ChiSquareResult {
  statistic: number;
  dof: number;
  pValue: number;
}

/**
 * Pearson's chi-square test of observed counts against expected probabilities. Cells with an
 * expected count below `minExpected` (default 5) are pooled into one, as the test's χ² approximation
 * requires.
 */
export function chiSquareGoodnessOfFit(
  observed: ArrayLike<number>,
  probs: ArrayLike<number>,
  minExpected = 5,
): ChiSquareResult {
  checkNumbers('chiSquare: observed', observed, { minLength: 1 });
  checkProbabilities('chiSquare: probs', probs);
  checkNumber('chiSquare: minExpected', minExpected, { min: 0 });
  if (observed.length !== probs.length)
    throw new ArgumentError(
      `chiSquare: observed and probs expected equal lengths, got ${observed.length} and ${probs.length}`,
    );
  let total = 0;
  for (let i = 0; i < observed.length; i++) {
    if (observed[i]! < 0)
      throw new OutOfRangeError(`chiSquare: observed[${i}]: expected a count >= 0, got ${observed[i]}`);
    total += observed[i]!;
  }
  if (total === 0)
    throw new OutOfRangeError('chiSquare: observed: expected at least one count, got all zero');
  let stat = 0;
  let cells = 0;
  let poolO = 0;
  let poolE = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = probs[i]! * total;
    if (e < minExpected) {
      poolO += observed[i]!;
      poolE += e;
      continue;
    }
    stat += (observed[i]! - e) ** 2 / e;
    cells++;
  }
  if (poolE > 0) {
    stat += (poolO - poolE) ** 2 / poolE;
    cells++;
  }
  const dof = Math.max(cells - 1, 1);
  return { statistic: stat, dof, pValue: gammaQ(dof / 2, stat / 2) };
}
