import { ArgumentError, checkObject, describeValue, ShapeError } from '@tenzo/core';
import { UsvMesh } from '@tenzo/devices';
import { Linear } from '@tenzo/nn';
import { Tensor } from '@tenzo/tensor';
import type { DeviceSlotClassifier } from '../models/deviceSlot.js';
import type { PhysicalLayer } from '../physicalLayer.js';
import { deviceBiasOf, loadDigitalTwin } from './loadDigitalTwin.js';
import { applyProgram, type ProgramResult } from './programDevice.js';
import { type ProgramElementwiseOptions, programElementwise } from './programElementwise.js';
import { programMesh } from './programMesh.js';

/** What `initFromDigital` did: the tensors it took, and the device's programming result. */
export interface DigitalInitReport {
  /** the digital file's tensor names used, front / replaced layer / readout */
  readonly from: { readonly front: string; readonly replaced: string; readonly readout: string };
  readonly program: ProgramResult;
}

/** One Linear of a digital state dict: its name and its weight [out, in] and bias [out]. */
interface LinearEntry {
  name: string;
  weight: Tensor;
  bias: Tensor | null;
}

/**
 * The pretrained start of a hybrid (astralora's `load_digital`): the hybrid's digital layers take
 * the trained digital network's weights, its device is programmed to approximate the Linear it
 * replaces, and a digital bias after the device takes that Linear's bias — so before any
 * fine-tuning the hybrid computes what the digital network did, up to the programming error,
 * which is measured on `probes` (the activations the trained network feeds that layer) and
 * reported.
 *
 * `net` is a hybrid built with `deviceBias: true` and `center: false` (the digital network does
 * not centre). With a dense front (front Linear → ReLU → [device W→W] → Bias → ReLU → readout
 * Linear), `tensors` is the digital network's state dict with exactly three Linear layers
 * inputs→W, W→W, W→outputs, read in their order: `multilayerPerceptron` with hidden [W, W]
 * (`tenzo-train mnist --hidden W,W`: names 0., 3., 6. with dropout) or the same-shape
 * `HybridMlp` with `device: 'none'` (pre.0., middle., post.*). The device is programmed by
 * `programElementwise` (SLM phase matrices, microring banks: one setting per matrix entry; its
 * options apply) or, for torchonn's usv MZI layer built with `phaseScreens: true`, by
 * `programMesh` from the layer's SVD (only `probes` applies). With any other front (HybridCnn's
 * conv–BatchNorm stages, a conv front), `tensors` is the state dict of the same spec with
 * `device: 'none'`: every digital parameter and BatchNorm statistic is taken by name
 * (`loadDigitalTwin`) and the device is programmed to `middle.weight`.
 *
 * @throws ArgumentError naming what does not fit: the file's layers, the net's shape or options
 */
export async function initFromDigital(
  net: DeviceSlotClassifier,
  tensors: Readonly<Record<string, Tensor>>,
  opts: ProgramElementwiseOptions = {},
): Promise<DigitalInitReport> {
  const fn = 'initFromDigital';
  checkObject(`${fn}: tensors`, tensors);
  if (net === null || typeof net !== 'object' || net.physical === null || net.physical === undefined)
    throw new ArgumentError(
      `${fn}: net expected a hybrid with a device in its slot, got ${describeValue(net)}`,
    );
  if (net.pre.namedParameters().length !== 2 || !(net.pre.layers[0] instanceof Linear)) {
    // not a dense front: the digital twin of the same spec, by name
    const weight = loadDigitalTwin(fn, net, tensors, 'middle', 'a digital network of the same spec');
    const program = await programLayer(net.physical, weight, opts);
    return { from: { front: 'pre.', replaced: 'middle.', readout: 'post.' }, program };
  }
  const front = net.pre.layers.find((l): l is Linear => l instanceof Linear);
  const readout = net.post.layers.find((l): l is Linear => l instanceof Linear);
  if (front === undefined || readout === undefined)
    throw new ArgumentError(`${fn}: net expected a Linear readout after the device`);
  const bias = deviceBiasOf(fn, net.post);
  // every digital parameter of the net must come from the file: the front, the bias, the readout
  const own = [...net.pre.namedParameters(), ...net.post.namedParameters()].length;
  if (own !== 5)
    throw new ArgumentError(
      `${fn}: net expected exactly a dense front Linear, the device bias and a readout Linear as digital layers, got ${own} parameters`,
    );
  const linears = linearsOf(fn, tensors);
  if (linears.length !== 3)
    throw new ArgumentError(
      `${fn}: tensors expected exactly 3 Linear layers (front, the layer the device replaces, readout), got ${linears.length}: ${linears.map((l) => l.name).join(', ') || 'none'}`,
    );
  const [l1, l2, l3] = linears as [LinearEntry, LinearEntry, LinearEntry];
  const used = new Set(linears.flatMap((l) => [`${l.name}weight`, `${l.name}bias`]));
  const other = Object.keys(tensors).filter((k) => !used.has(k));
  if (other.length > 0)
    throw new ArgumentError(
      `${fn}: tensors expected only the 3 Linear layers' weights and biases, got also ${other.slice(0, 5).join(', ')}${other.length > 5 ? ', …' : ''} (not a 784-W-W-10 MLP)`,
    );
  const W = net.physical.device.inputSize;
  const expect = (l: LinearEntry, out: number, inp: number, what: string) => {
    if (l.weight.shape[0] !== out || l.weight.shape[1] !== inp)
      throw new ShapeError(
        `${fn}: tensors '${l.name}weight' (${what}) expected [${out}, ${inp}], got [${l.weight.shape.join(', ')}]`,
      );
    if (l.bias === null)
      throw new ArgumentError(`${fn}: tensors expected '${l.name}bias' beside '${l.name}weight' (${what})`);
  };
  expect(l1, front.outFeatures, front.inFeatures, 'front');
  expect(l2, W, W, 'the layer the device replaces');
  expect(l3, readout.outFeatures, readout.inFeatures, 'readout');
  const copy = (dst: Tensor, src: Tensor) => dst.data.set(src.data);
  copy(front.weight, l1.weight);
  copy(front.bias!, l1.bias!);
  copy(readout.weight, l3.weight);
  copy(readout.bias!, l3.bias!);
  copy(bias.bias, l2.bias!);
  const program = await programLayer(net.physical, l2.weight, opts);
  return { from: { front: l1.name, replaced: l2.name, readout: l3.name }, program };
}

/** The state dict's Linear layers (a 2-D `<name>weight`), in layer order. */
function linearsOf(fn: string, tensors: Readonly<Record<string, Tensor>>): LinearEntry[] {
  const out: LinearEntry[] = [];
  for (const [key, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor))
      throw new ArgumentError(`${fn}: tensors['${key}'] expected a Tensor, got ${describeValue(t)}`);
    if (!key.endsWith('weight') || t.ndim !== 2) continue;
    const name = key.slice(0, -'weight'.length);
    out.push({ name, weight: t, bias: tensors[`${name}bias`] ?? null });
  }
  // pre.* < middle.* < post.*, and numeric indices (Sequential) by value
  const rank = (name: string) =>
    name.startsWith('pre.') ? 0 : name.startsWith('middle.') ? 1 : name.startsWith('post.') ? 2 : 1;
  const index = (name: string) => Number(/(\d+)\.$/.exec(name)?.[1] ?? 0);
  return out.sort((a, b) => rank(a.name) - rank(b.name) || index(a.name) - index(b.name));
}

/**
 * Programs a layer's device to a trained weight [out, in] and applies the result: a usv MZI layer
 * from its SVD (`programMesh`: no per-entry setting exists there), any other device by the
 * calibration sweep (`programElementwise`).
 */
export async function programLayer(
  layer: PhysicalLayer,
  weight: Tensor,
  opts: ProgramElementwiseOptions = {},
): Promise<ProgramResult> {
  const device = layer.device;
  const target = Float64Array.from(weight.data);
  const program =
    device instanceof UsvMesh
      ? await programMesh(device, target, { ...(opts.probes ? { probes: opts.probes } : {}) })
      : await programElementwise(device, target, opts);
  applyProgram(layer, program);
  return program;
}
