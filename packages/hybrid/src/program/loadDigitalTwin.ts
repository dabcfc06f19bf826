import { ArgumentError, checkObject, describeValue, ShapeError } from '@tenzo/core';
import { Bias, CenterRows, type Module, type Sequential } from '@tenzo/nn';
import { Tensor } from '@tenzo/tensor';
import type { PhysicalLayer } from '../physicalLayer.js';

/** A hybrid whose device sits in one slot, with a `post` that starts with the device's Bias. */
export interface TwinTarget extends Module {
  readonly physical: PhysicalLayer | null;
  readonly post: Sequential;
}

/**
 * Loads a digital twin's state dict into a hybrid of the same spec (astralora's `load_digital`):
 * every digital parameter and buffer (BatchNorm statistics included) is taken by name, except that
 * the hybrid's `post` starts with the device's `Bias`, so the twin's `post.k.*` lands in
 * `post.(k+1).*`; the Bias takes `<slot>.bias`. Returns `<slot>.weight` [d, d], the layer the device
 * is to be programmed to. Nothing is written unless every tensor fits.
 *
 * `twin` names what the file should be in the messages ("a digital TDNN of the same spec").
 * @throws ArgumentError for a missing or extra tensor, or a net without a device or Bias;
 *   ShapeError for a tensor of another shape
 */
export function loadDigitalTwin(
  fn: string,
  net: TwinTarget,
  tensors: Readonly<Record<string, Tensor>>,
  slot: string,
  twin: string,
): Tensor {
  checkObject(`${fn}: tensors`, tensors);
  if (net === null || typeof net !== 'object' || typeof net.stateDict !== 'function')
    throw new ArgumentError(`${fn}: net expected a hybrid module, got ${describeValue(net)}`);
  if (!net.physical)
    throw new ArgumentError(`${fn}: net expected a hybrid with a device in its ${slot} slot, got none`);
  const bias = deviceBiasOf(fn, net.post);
  const take = (name: string): Tensor => {
    const t = tensors[name];
    if (!(t instanceof Tensor))
      throw new ArgumentError(`${fn}: tensors expected '${name}' (${twin}), got ${describeValue(t)}`);
    return t;
  };
  const pairs: [Tensor, string][] = [];
  const pair = (dst: Tensor, name: string) => {
    const src = take(name);
    if (src.shape.join() !== dst.shape.join())
      throw new ShapeError(
        `${fn}: tensors '${name}' expected [${dst.shape.join(', ')}], got [${src.shape.join(', ')}]`,
      );
    pairs.push([dst, name]);
  };
  for (const [name, t] of Object.entries(net.stateDict())) {
    if (name.startsWith('device.') || name === 'post.0.bias') continue;
    const post = /^post\.(\d+)\.(.*)$/.exec(name);
    pair(t, post ? `post.${Number(post[1]) - 1}.${post[2]}` : name);
  }
  pair(bias.bias, `${slot}.bias`);
  const weight = take(`${slot}.weight`);
  const d = net.physical.device.inputSize;
  if (weight.shape[0] !== net.physical.device.outputSize || weight.shape[1] !== d)
    throw new ShapeError(
      `${fn}: tensors '${slot}.weight' expected [${net.physical.device.outputSize}, ${d}], got [${weight.shape.join(', ')}]`,
    );
  const used = new Set([...pairs.map(([, n]) => n), `${slot}.weight`]);
  const extra = Object.keys(tensors).filter((k) => !used.has(k));
  if (extra.length > 0)
    throw new ArgumentError(
      `${fn}: tensors expected only the tensors of ${twin}, got also ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}`,
    );
  for (const [dst, name] of pairs) dst.data.set(tensors[name]!.data);
  return weight;
}

/**
 * The `Bias` a pretrained start puts the replaced layer's bias in: first in `post`, with no
 * centring after the device (the digital network has none).
 */
export function deviceBiasOf(fn: string, post: Sequential): Bias {
  const bias = post.layers[0];
  if (!(bias instanceof Bias))
    throw new ArgumentError(
      `${fn}: net expected a digital bias after the device (build it with deviceBias: true)`,
    );
  if (post.layers.some((l) => l instanceof CenterRows))
    throw new ArgumentError(
      `${fn}: net expected no centring after the device (center: false), as the digital network has none`,
    );
  return bias;
}
