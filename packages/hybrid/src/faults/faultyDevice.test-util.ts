import { EvaluationError, type Rng } from '@tenzo/core';
import { InvalidRowsError, type PhysicalDevice, RemoteDeviceError, slmPhaseMatrix } from '@tenzo/devices';

/**
 * An SLM simulator seen as a black box (no `exact`, no `state`: the layer treats it as a real
 * device) that misbehaves on a script: `plan(call)` says what query number `call` does.
 */
export function scriptedDevice(
  plan: (call: number, rows: number) => 'ok' | 'gone' | 'raw' | { nanRows: number[] },
  opts: { dIn?: number; dOut?: number; gain?: (call: number) => number } = {},
): PhysicalDevice & { calls: number } {
  const sim = slmPhaseMatrix({ dIn: opts.dIn ?? 6, dOut: opts.dOut ?? 5, seed: 3 });
  const d = {
    calls: 0,
    name: 'scripted',
    inputSize: sim.inputSize,
    outputSize: sim.outputSize,
    paramSize: sim.paramSize,
    units: sim.units,
    bounds: sim.bounds,
    paramStep: null,
    ledger: sim.ledger,
    params: () => sim.params(),
    setParams: (w: Float64Array) => sim.setParams(w),
    initParams: (rng: Rng) => sim.initParams(rng),
    async query(X: Float64Array, omega?: Float64Array): Promise<Float64Array> {
      const call = d.calls++;
      const rows = X.length / sim.inputSize;
      const what = plan(call, rows);
      if (what === 'gone')
        throw new RemoteDeviceError(
          `scripted.query: call ${call}: connection refused`,
          'exhausted',
          `r${call}`,
          4,
        );
      if (what === 'raw') throw new EvaluationError(`scripted.query: call ${call}: the driver failed`);
      const Y = await sim.query(X, omega);
      const g = opts.gain?.(call) ?? 1;
      if (g !== 1) for (let i = 0; i < Y.length; i++) Y[i]! *= g;
      if (what === 'ok' || what.nanRows.length === 0) return Y;
      const bad = what.nanRows.filter((r) => r < rows);
      for (const r of bad) Y[r * sim.outputSize] = Number.NaN;
      if (bad.length === 0) return Y;
      throw new InvalidRowsError(`scripted.query: rows ${bad}`, `r${call}`, bad, Y);
    },
  };
  return d;
}
