import { ArgumentError, checkObject, describeValue } from '@tenzo/core';
import type { Tensor } from '@tenzo/tensor';
import type { HybridTdnn } from '../models/hybridTdnn.js';
import { programLayer } from './initFromDigital.js';
import { loadDigitalTwin } from './loadDigitalTwin.js';
import type { ProgramResult } from './programDevice.js';
import type { ProgramElementwiseOptions } from './programElementwise.js';

/**
 * The pretrained start of a TDNN hybrid (astralora's `load_digital` for the audio network): every
 * digital layer of `net` takes the trained digital TdnnClassifier's weights and BatchNorm
 * statistics by name, its device is programmed to the trained d → d projection
 * (`projection.weight`; see `programLayer`) and the `Bias` after the device takes
 * `projection.bias`, so before fine-tuning the hybrid computes what the digital network did, up
 * to the programming error (reported: the matrix error on the identity probes unless `probes`
 * are given).
 *
 * `net` is a HybridTdnn built with a device, `deviceBias: true` and `center: false`; `tensors`
 * the state dict of the same spec with `device: 'none'` (what `tenzo-train audio` saves). The
 * hybrid's `post` starts with the Bias, so the digital `post.k.*` lands in `post.(k+1).*`.
 *
 * @throws ArgumentError naming what does not fit: the net's options, a missing or extra tensor;
 *   ShapeError for a tensor of another shape
 */
export async function initTdnnFromDigital(
  net: HybridTdnn,
  tensors: Readonly<Record<string, Tensor>>,
  opts: ProgramElementwiseOptions = {},
): Promise<ProgramResult> {
  const fn = 'initTdnnFromDigital';
  checkObject(`${fn}: tensors`, tensors);
  if (net === null || typeof net !== 'object' || !net.physical)
    throw new ArgumentError(
      `${fn}: net expected a HybridTdnn with a device in its projection, got ${net?.physical === null ? 'one without (a digital or removed projection)' : describeValue(net)}`,
    );
  const weight = loadDigitalTwin(fn, net, tensors, 'projection', 'a digital TDNN of the same spec');
  return programLayer(net.physical, weight, opts);
}
