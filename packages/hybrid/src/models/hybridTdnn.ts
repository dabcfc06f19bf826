import { ArgumentError, checkObject, type Rng } from '@tenzo/core';
import { Bias, CenterRows, type Parameter, TdnnClassifier, type TdnnSpec } from '@tenzo/nn';
import { type DeviceImperfections, type DeviceKind, makeDevice } from '../makeDevice.js';
import type { PhysicalLayerOptions } from '../options.js';
import { type LayerDevice, PhysicalLayer } from '../physicalLayer.js';

/**
 * A TDNN spec whose d → d projection is a device — the digital Linear, removed, a simulated device's kind
 * or a device built beforehand — with centring, the PhysicalLayer options, the device's seed and its
 * imperfections.
 */
export interface HybridTdnnSpec extends TdnnSpec {
  /**
   * the d → d projection: 'none' the digital Linear, 'identity' removed, a simulator's kind, or a
   * d → d device built beforehand (a `RemoteDevice`; `imperfections` do not apply to it)
   */
  device: DeviceKind | LayerDevice;
  /** subtract each row's mean of the device output (see CenterRows; default true) */
  center?: boolean;
  /**
   * a digital bias after the device (a `Bias`, first in `post`, zero at the start): where the
   * trained projection's bias goes in a pretrained start (`initTdnnFromDigital`; default false)
   */
  deviceBias?: boolean;
  /** a simulated usv layer with an input phase screen per mesh (see makeDevice) */
  phaseScreens?: boolean;
  layer: PhysicalLayerOptions;
  /** the simulated device's own seed (its fixed parts), see makeDevice */
  deviceSeed: number;
  imperfections?: DeviceImperfections;
}

/**
 * `@tenzo/nn`'s TdnnClassifier with its d → d embedding projection a physical device (the layer
 * the paper replaces, ECAPA-TDNN's 6144 → 192):
 *
 *   x [B, T, F] → TDNN blocks → StatsPooling → Linear(2C → d) → ReLU
 *     → PhysicalLayer d → d → [CenterRows] → BatchNorm1d(d) → ReLU → Dropout → Linear(d → classes)
 *
 * `device: 'none'` keeps the digital Linear(d, d), `'identity'` removes it. The device layer is
 * registered as 'device' (parameters 'device.omega', 'device.gain'); the digital weights draw from
 * `initRng`, the dropout masks from `dropoutRng`, the PhysicalLayer from `layerRng`.
 */
export class HybridTdnn extends TdnnClassifier {
  readonly physical: PhysicalLayer | null;

  constructor(spec: HybridTdnnSpec, initRng: Rng, dropoutRng: Rng, layerRng: Rng) {
    const kind = checkObject('HybridTdnn: spec', spec).device;
    super(spec, initRng, dropoutRng, {
      projection:
        kind === 'none'
          ? undefined
          : kind === 'identity'
            ? null
            : (d) => ({
                name: 'device',
                module: new PhysicalLayer(
                  typeof kind === 'object'
                    ? givenDevice(kind, d)
                    : makeDevice(kind, d, {
                        seed: spec.deviceSeed,
                        rank: spec.layer.rank ?? 10,
                        ...spec.imperfections,
                        ...(spec.phaseScreens ? { phaseScreens: true } : {}),
                      }),
                  layerRng,
                  spec.layer,
                ),
                after: [
                  ...(spec.deviceBias === true ? [new Bias(d)] : []),
                  ...(spec.center === false ? [] : [new CenterRows()]),
                ],
                label: `${typeof kind === 'object' ? kind.name : kind} ${d}→${d}`,
              }),
    });
    this.physical = this.projection instanceof PhysicalLayer ? this.projection : null;
  }

  /** Parameters of the digital layers (the device's ω and gain have their own optimizer). */
  digitalParameters(): [string, Parameter][] {
    return this.namedParameters().filter(([n]) => !n.startsWith('device.'));
  }
}

function givenDevice(device: LayerDevice, d: number): LayerDevice {
  if (device.inputSize !== d || device.outputSize !== d)
    throw new ArgumentError(
      `HybridTdnn: device: expected a ${d} → ${d} device (the embedding), got '${device.name}' ${device.inputSize} → ${device.outputSize}`,
    );
  return device;
}
