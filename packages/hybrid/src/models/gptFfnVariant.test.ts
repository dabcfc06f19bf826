import { ArgumentError, Rng } from '@tenzo/core';
import { Linear } from '@tenzo/nn';
import { tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { makeDevice } from '../makeDevice.js';
import { DeviceFfn } from './deviceFfn.js';
import {
  describeFfnVariant,
  ffnVariantDevice,
  GPT_FFN_VARIANTS,
  type GptFfnVariant,
  gptWithFfnVariant,
  replacedBlocks,
} from './gptFfnVariant.js';
import { LowRankFfn } from './lowRankFfn.js';

const gpt = { vocabSize: 11, maxSeqLen: 8, dModel: 8, nLayers: 2, nHeads: 2 };
const build = (
  variant: GptFfnVariant,
  replace: 'last' | 'all' | number = 'last',
  device?: ReturnType<typeof makeDevice>,
) => {
  const root = new Rng(4);
  return gptWithFfnVariant(
    {
      variant,
      gpt,
      replace,
      rank: 2,
      seed: 3,
      layer: { zoSamples: 2, sketchSamples: 2 },
      ...(device ? { device } : {}),
    },
    { init: root.fork(), layer: root.fork(), ffn: root.fork() },
  );
};

describe('gptWithFfnVariant', () => {
  it('fills the last (or every) block: MLP, none, low-rank, linear, a device, frozen or served', async () => {
    expect(build('digital').gpt.blocks[1]!.mlp).not.toBeNull();
    expect(build('digital').replacedBlocks).toEqual([]);
    expect(build('removed').gpt.blocks[1]!.mlp).toBeNull();
    expect(build('removed').gpt.blocks[0]!.mlp).not.toBeNull();
    expect(build('lowrank').gpt.blocks[1]!.mlp).toBeInstanceOf(LowRankFfn);
    expect(build('linear').gpt.blocks[1]!.mlp).toBeInstanceOf(Linear);
    const mrr = build('mrr', 'all');
    expect(mrr.replacedBlocks).toEqual([0, 1]);
    expect(mrr.physical).toHaveLength(2);
    expect(mrr.gpt.blocks[0]!.mlp).toBeInstanceOf(DeviceFfn);
    // block i's layer is seeded seed·1000 + i; ω and gain are not digital parameters
    expect(mrr.physical.map((p) => p.options.seed)).toEqual([3000, 3001]);
    expect(mrr.digital.some(([n]) => n.includes('omega') || n.includes('gain'))).toBe(false);
    expect(mrr.digital.length).toBe(mrr.gpt.namedParameters().length - 4);
    expect(build('frozen-slm').physical[0]!.frozen).toBe(true);
    expect(build('slm').physical[0]!.frozen).toBe(false);
    const served = makeDevice('mzi', 8, { seed: 9, rank: 2 });
    const remote = build('frozen-remote', 'last', served);
    expect(remote.physical[0]!.device).toBe(served);
    expect(remote.physical[0]!.frozen).toBe(true);
    expect((await remote.gpt.forwardAsync(tensor([[1, 2, 3]]))).shape).toEqual([1, 3, 11]);
  });

  it('replaces the last k blocks: k = 1 is the last, k = nLayers every block', () => {
    expect(replacedBlocks('r', 'last', 4)).toEqual([3]);
    expect(replacedBlocks('r', 'all', 3)).toEqual([0, 1, 2]);
    expect(replacedBlocks('r', 2, 5)).toEqual([3, 4]);
    for (const bad of [0, 6, 2.5, -1, '2', Number.NaN, null])
      expect(() => replacedBlocks('r', bad, 5)).toThrowError(
        /^r: expected 'last', 'all' or a block count 1\.\.5 \(the last k blocks\), got /,
      );
    const gpt3 = { ...gpt, nLayers: 3 };
    const root = new Rng(4);
    const two = gptWithFfnVariant(
      { variant: 'slm', gpt: gpt3, replace: 2, rank: 2, seed: 3, layer: { zoSamples: 2, sketchSamples: 2 } },
      { init: root.fork(), layer: root.fork(), ffn: root.fork() },
    );
    expect(two.replacedBlocks).toEqual([1, 2]);
    expect(two.gpt.blocks[0]!.mlp).not.toBeInstanceOf(DeviceFfn);
    expect(two.gpt.blocks[1]!.mlp).toBeInstanceOf(DeviceFfn);
    expect(two.physical.map((p) => p.options.seed)).toEqual([3001, 3002]);
    // k = 1 builds the same model as 'last', bit for bit
    const one = build('mrr', 1).gpt.namedParameters();
    const last = build('mrr', 'last').gpt.namedParameters();
    expect(one.map(([n]) => n)).toEqual(last.map(([n]) => n));
    for (const [i, [, p]] of one.entries()) expect(p.toFlat()).toEqual(last[i]![1].toFlat());
    expect(() => build('slm', 3)).toThrowError(/gptWithFfnVariant: replace: expected .* 1\.\.2 .* got 3/);
  });

  it('usv and Monarch devices fill the slot and train: the loss moves and ω gets a ZO gradient', async () => {
    for (const variant of ['usv', 'monarch'] as const) {
      const { gpt: model, physical } = build(variant);
      expect(physical).toHaveLength(1);
      expect(model.blocks[1]!.mlp).toBeInstanceOf(DeviceFfn);
      const before = physical[0]!.deviceParameters().map((p) => p.toFlat());
      const logits = await model.forwardAsync(tensor([[1, 2, 3, 4]]));
      expect(logits.shape).toEqual([1, 4, 11]);
      logits.logsumexp({ axis: -1 }).sum().backward();
      await physical[0]!.estimateParamGrad();
      const omega = physical[0]!.deviceParameters()[0]!;
      expect(omega.grad).not.toBeNull();
      expect(omega.grad!.toFlat().some((g) => g !== 0)).toBe(true);
      expect(omega.toFlat()).toEqual(before[0]);
      expect(build(`frozen-${variant}`).physical[0]!.frozen).toBe(true);
    }
  });

  it('the same seed gives the same digital weights for every variant outside the replaced slots', () => {
    const a = build('digital').gpt.tokEmb.weight.toFlat();
    const b = build('lowrank').gpt.tokEmb.weight.toFlat();
    expect(b).toEqual(a);
  });

  it('describes the slot and names the device; refuses a remote variant without a device or on every block', () => {
    expect(GPT_FFN_VARIANTS).toContain('frozen-remote');
    expect(ffnVariantDevice('frozen-mzi')).toBe('mzi');
    expect(ffnVariantDevice('lowrank')).toBeNull();
    expect(ffnVariantDevice('frozen-monarch')).toBe('monarch');
    expect(describeFfnVariant('usv', 64, 4)).toBe('usv MZI 64→64');
    expect(describeFfnVariant('frozen-monarch', 64, 4)).toBe('frozen Monarch 64→64');
    expect(describeFfnVariant('digital', 64, 4)).toBe('MLP 64→256→64');
    expect(describeFfnVariant('lowrank', 64, 4)).toBe('digital rank-4 64→4→64');
    expect(describeFfnVariant('frozen-mrr', 64, 4)).toBe('frozen MRR 64→64');
    expect(describeFfnVariant('remote', 64, 4)).toBe('REMOTE 64→64');
    expect(() => build('remote')).toThrow(ArgumentError);
    expect(() => build('remote', 'all', makeDevice('slm', 8, { seed: 1, rank: 2 }))).toThrow(
      /one replaced block/,
    );
    expect(() => build('bogus' as never)).toThrow(/variant/);
  });
});
