import { checkNumber } from '@tenzo/core';

/**
 * Thermal crosstalk between heaters laid out in chains: φ_actual = Γ φ_cmd with Γ = I + κ·(chain
 * adjacency), i.e. each heater also warms its two neighbours by the fraction κ (METHODS.md §1.5:
 * neighbours 0.05–0.3). `values` is a rows×cols grid, each row one chain. Writes into `out`
 * (must not alias `values`).
 */
export function chainCrosstalk(
  values: Float64Array,
  rows: number,
  cols: number,
  kappa: number,
  out: Float64Array,
): void {
  checkNumber('kappa', kappa, { min: 0, max: 1 });
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      let v = values[o + j]!;
      if (j > 0) v += kappa * values[o + j - 1]!;
      if (j + 1 < cols) v += kappa * values[o + j + 1]!;
      out[o + j] = v;
    }
  }
}

/**
 * Fringing-field crosstalk between SLM pixels: each pixel's phase is pulled towards its four
 * neighbours, φ_eff = (1 − nκ) φ + κ Σ_neighbours φ (n = number of neighbours), so a uniform
 * mask stays uniform while sharp phase edges are smoothed. Grid rows×cols; `out` must not alias.
 */
export function pixelCrosstalk(
  values: Float64Array,
  rows: number,
  cols: number,
  kappa: number,
  out: Float64Array,
): void {
  checkNumber('kappa', kappa, { min: 0, max: 0.25 });
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      const c = values[k]!;
      let s = 0;
      let n = 0;
      if (i > 0) {
        s += values[k - cols]!;
        n++;
      }
      if (i + 1 < rows) {
        s += values[k + cols]!;
        n++;
      }
      if (j > 0) {
        s += values[k - 1]!;
        n++;
      }
      if (j + 1 < cols) {
        s += values[k + 1]!;
        n++;
      }
      out[k] = (1 - n * kappa) * c + kappa * s;
    }
  }
}
