/** The least-squares output gain and relative error of a device's answer to a target (programming). */

/** argmin_g ‖g Y − T‖ = ⟨Y, T⟩/‖Y‖² (1 for an all-zero response: nothing to scale). */
export function bestGain(Y: Float64Array, T: Float64Array): number {
  let yt = 0;
  let yy = 0;
  for (let k = 0; k < Y.length; k++) {
    yt += Y[k]! * T[k]!;
    yy += Y[k]! * Y[k]!;
  }
  return yy > 0 ? yt / yy : 1;
}

/** ‖g Y − T‖_F / ‖T‖_F (‖g Y‖ when T = 0). */
export function relativeError(Y: Float64Array, g: number, T: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < Y.length; k++) {
    num += (g * Y[k]! - T[k]!) ** 2;
    den += T[k]! ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
}
