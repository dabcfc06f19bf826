import {
  ArgumentError,
  checkInt,
  checkObject,
  checkOneOf,
  checkRng,
  describeValue,
  type Rng,
} from '@tenzo/core';
import { type FeedForward, GPT, Linear, type Parameter, type TransformerConfig } from '@tenzo/nn';
import { makeDevice } from '../makeDevice.js';
import type { PhysicalLayerOptions } from '../options.js';
import { type LayerDevice, PhysicalLayer } from '../physicalLayer.js';
import { DeviceFfn } from './deviceFfn.js';
import { LowRankFfn } from './lowRankFfn.js';

/**
 * What fills the feed-forward slot of a GPT's replaced blocks (the paper's nanoGPT experiment):
 * digital: the usual MLP (d → 4d → d, GELU) in every block — the reference;
 * removed: no feed-forward sub-layer (attention only) — the "FFN removed" baseline;
 * lowrank: a digital rank-r map d → r → d; linear: a digital full d → d map;
 * slm / mrr / mzi / usv / monarch: one simulated device d → d trained by ZO + surrogate (usv:
 * torchonn's MZI layer of two meshes around an attenuator line; monarch: astralora's device);
 * remote: a device built beforehand (a served one), d → d; frozen-*: the device kept at its
 * initialisation.
 */
export const GPT_FFN_VARIANTS = [
  'digital',
  'removed',
  'lowrank',
  'linear',
  'slm',
  'mrr',
  'mzi',
  'usv',
  'monarch',
  'frozen-slm',
  'frozen-mrr',
  'frozen-mzi',
  'frozen-usv',
  'frozen-monarch',
  'remote',
  'frozen-remote',
] as const;
/**
 * One of `GPT_FFN_VARIANTS`: what fills a GPT block's feed-forward — the digital MLP, nothing, a low-rank
 * or linear map, a simulated device (trained or frozen) or a remote device.
 */
export type GptFfnVariant = (typeof GPT_FFN_VARIANTS)[number];

/** A device a GPT's feed-forward slot can hold: simulated, or 'remote' (a served one). */
export type FfnDevice = 'slm' | 'mrr' | 'mzi' | 'usv' | 'monarch' | 'remote';

/** How the tables name each device. */
const DEVICE_NAMES: Readonly<Record<FfnDevice, string>> = {
  slm: 'SLM',
  mrr: 'MRR',
  mzi: 'MZI',
  usv: 'usv MZI',
  monarch: 'Monarch',
  remote: 'REMOTE',
};

/** The device behind a device variant ('slm' for 'frozen-slm'), null for the digital ones. */
export function ffnVariantDevice(variant: GptFfnVariant): FfnDevice | null {
  const k = variant.replace('frozen-', '');
  return Object.hasOwn(DEVICE_NAMES, k) ? (k as FfnDevice) : null;
}

/** A one-line description of what fills the slot, e.g. 'digital rank-4 64→4→64', 'frozen MRR 64→64'. */
export function describeFfnVariant(variant: GptFfnVariant, dModel: number, rank: number): string {
  const d = dModel;
  switch (variant) {
    case 'digital':
      return `MLP ${d}→${4 * d}→${d}`;
    case 'removed':
      return 'none (attention only)';
    case 'lowrank':
      return `digital rank-${rank} ${d}→${rank}→${d}`;
    case 'linear':
      return `digital linear ${d}→${d}`;
    default:
      return `${variant.startsWith('frozen-') ? 'frozen ' : ''}${DEVICE_NAMES[ffnVariantDevice(variant)!]} ${d}→${d}`;
  }
}

/**
 * How a GPT's feed-forward blocks are replaced: the variant, the GPT's config, which blocks, the surrogate
 * rank, the seed, the PhysicalLayer options, centring and (for 'remote') the device.
 */
export interface GptFfnVariantSpec {
  readonly variant: GptFfnVariant;
  readonly gpt: TransformerConfig;
  /**
   * which blocks the variant fills: the last one, all, or the last k (1 ≤ k ≤ nLayers; the paper
   * replaces the FFNs of the last blocks of nanoGPT). The other blocks keep the MLP.
   */
  readonly replace: 'last' | 'all' | number;
  /** the surrogate rank r, and the rank of the 'lowrank' map */
  readonly rank: number;
  /** block i's simulated device and its PhysicalLayer are seeded with seed·1000 + i */
  readonly seed: number;
  /** the PhysicalLayer options (estimator, μ …); its rank and seed are the spec's */
  readonly layer: Omit<PhysicalLayerOptions, 'rank' | 'seed'>;
  /** subtract the per-token mean of the device outputs (DeviceFfn's `center`, default true) */
  readonly center?: boolean;
  /** the d → d device of the 'remote' variants (one replaced block only) */
  readonly device?: LayerDevice;
}

/** A GPT whose feed-forward slots hold a variant, and its parts the training needs. */
export interface GptFfnVariantModel {
  readonly gpt: GPT;
  /** the physical layers of the replaced blocks (device variants), in block order */
  readonly physical: PhysicalLayer[];
  /** the blocks whose slot the variant fills (empty for 'digital') */
  readonly replacedBlocks: number[];
  /** the named digital parameters: everything but the layers' ω and gain */
  readonly digital: [string, Parameter][];
}

/**
 * The blocks of an L-block GPT that `replace` names, in order: 'last' → [L − 1], 'all' → 0..L−1,
 * k → the last k blocks L−k..L−1.
 *
 * @throws ArgumentError naming `name` for anything else (k not an integer in 1..L)
 */
export function replacedBlocks(name: string, replace: unknown, nLayers: number): number[] {
  if (replace === 'last') return [nLayers - 1];
  if (replace === 'all') return Array.from({ length: nLayers }, (_, i) => i);
  if (typeof replace === 'number' && Number.isInteger(replace) && replace >= 1 && replace <= nLayers)
    return Array.from({ length: replace }, (_, i) => nLayers - replace + i);
  throw new ArgumentError(
    `${name}: expected 'last', 'all' or a block count 1..${nLayers} (the last k blocks), got ${describeValue(replace)}`,
  );
}

/**
 * Builds a GPT (`@tenzo/nn`) whose feed-forward slot in the last, the last k or every block is `variant`.
 * The GPT's weights draw from `rngs.init`; the lowrank/linear maps from `rngs.ffn`; each
 * PhysicalLayer's ω and gain from `rngs.layer`. Device variants' layers start unfrozen except
 * frozen-*. The same seed and config give the same digital initialisation for every variant up to
 * the replaced slots, so variants compare like for like.
 *
 * ```ts
 * const { gpt, physical, digital } = gptWithFfnVariant(
 *   { variant: 'mrr', gpt: { vocabSize: 65, maxSeqLen: 64, dModel: 64, nLayers: 2, nHeads: 4 },
 *     replace: 'last', rank: 10, seed: 0, layer: { zoSamples: 100, sketchSamples: 100 } },
 *   { init: root.fork(), layer: root.fork(), ffn: root.fork() },
 * );
 * ```
 */
export function gptWithFfnVariant(
  spec: GptFfnVariantSpec,
  rngs: { init: Rng; layer: Rng; ffn: Rng },
): GptFfnVariantModel {
  const fn = 'gptWithFfnVariant';
  checkObject(`${fn}: spec`, spec);
  checkObject(`${fn}: rngs`, rngs);
  const variant = checkOneOf(`${fn}: variant`, spec.variant, GPT_FFN_VARIANTS);
  checkObject(`${fn}: gpt`, spec.gpt);
  const rank = checkInt(`${fn}: rank`, spec.rank, { positive: true });
  const seed = checkInt(`${fn}: seed`, spec.seed, { min: 0 });
  for (const k of ['init', 'layer', 'ffn'] as const) checkRng(`${fn}: rngs.${k}`, rngs[k]);
  const kind = ffnVariantDevice(variant);
  const L = checkInt(`${fn}: gpt.nLayers`, spec.gpt.nLayers, { positive: true });
  const replaced = replacedBlocks(`${fn}: replace`, spec.replace, L);
  if (kind === 'remote' && (spec.device === undefined || replaced.length > 1))
    throw new ArgumentError(
      `${fn}: variant '${variant}' needs spec.device and one replaced block (replace 'last' or 1), got ${spec.device === undefined ? 'no device' : `${replaced.length} blocks`}`,
    );
  const physical: PhysicalLayer[] = [];
  const factory = (layer: number, d: number): FeedForward | null | undefined => {
    if (!replaced.includes(layer) || variant === 'digital') return undefined;
    if (variant === 'removed') return null;
    if (variant === 'lowrank') return new LowRankFfn(d, rank, rngs.ffn);
    if (variant === 'linear') return new Linear(d, d, rngs.ffn, { bias: false });
    const s = seed * 1000 + layer;
    const device = kind === 'remote' ? spec.device! : makeDevice(kind!, d, { seed: s, rank });
    const p = new PhysicalLayer(device, rngs.layer, { ...spec.layer, rank, seed: s });
    p.frozen = variant.startsWith('frozen-');
    physical.push(p);
    return new DeviceFfn(p, { center: spec.center ?? true });
  };
  const gpt = new GPT(spec.gpt, rngs.init, { ffn: factory });
  const onDevice = new Set<Parameter>(physical.flatMap((p) => p.deviceParameters()));
  return {
    gpt,
    physical,
    replacedBlocks: variant === 'digital' ? [] : replaced,
    digital: gpt.namedParameters().filter(([, p]) => !onDevice.has(p)),
  };
}
