import { ArgumentError, checkObject, describeValue, ShapeError } from '@tenzo/core';
import { Tensor } from '@tenzo/tensor';
import type { HybridTdnn } from '../models/hybridTdnn.js';
import { deviceBiasOf, programLayer } from './initFromDigital.js';
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
  const bias = deviceBiasOf(fn, net.post);
  const take = (name: string): Tensor => {
    const t = tensors[name];
    if (!(t instanceof Tensor))
      throw new ArgumentError(
        `${fn}: tensors expected '${name}' (a digital TDNN of the same spec), got ${describeValue(t)}`,
      );
    return t;
  };
  const used = new Set<string>();
  const copy = (dst: Tensor, name: string) => {
    const src = take(name);
    if (src.shape.join() !== dst.shape.join())
      throw new ShapeError(
        `${fn}: tensors '${name}' expected [${dst.shape.join(', ')}], got [${src.shape.join(', ')}]`,
      );
    dst.data.set(src.data);
    used.add(name);
  };
  for (const [name, t] of Object.entries(net.stateDict())) {
    if (name.startsWith('device.') || name === 'post.0.bias') continue;
    const post = /^post\.(\d+)\.(.*)$/.exec(name);
    copy(t, post ? `post.${Number(post[1]) - 1}.${post[2]}` : name);
  }
  copy(bias.bias, 'projection.bias');
  const weight = take('projection.weight');
  used.add('projection.weight');
  const extra = Object.keys(tensors).filter((k) => !used.has(k));
  if (extra.length > 0)
    throw new ArgumentError(
      `${fn}: tensors expected only the digital TDNN's, got also ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}`,
    );
  const d = net.physical.device.inputSize;
  if (weight.shape[0] !== d || weight.shape[1] !== d)
    throw new ShapeError(
      `${fn}: tensors 'projection.weight' expected [${d}, ${d}], got [${weight.shape.join(', ')}]`,
    );
  return programLayer(net.physical, weight, opts);
}
