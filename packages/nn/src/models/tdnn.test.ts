import { Rng } from '@tenzo/core';
import { randn, type Tensor } from '@tenzo/tensor';
import { describe, expect, it } from 'vitest';
import { CenterRows } from '../layers/centerRows.js';
import { crossEntropy } from '../losses/crossEntropy.js';
import { Module } from '../module.js';
import { TdnnClassifier, type TdnnSpec } from './tdnn.js';

const spec: TdnnSpec = {
  features: 6,
  frames: 10,
  channels: 8,
  blocks: [
    [5, 1],
    [3, 2],
  ],
  embedding: 8,
  classes: 3,
  dropout: 0,
};

/** An asynchronous d → d map, as a physical device answers. */
class AsyncScale extends Module {
  forward(x: Tensor): Promise<Tensor> {
    return Promise.resolve(x.mul(2));
  }
}

describe('TdnnClassifier', () => {
  it('maps [B, T, F] and flat [B, T·F] clips to logits; the projection is a Linear or removed', async () => {
    for (const projection of [undefined, null] as const) {
      const m = new TdnnClassifier(spec, new Rng(0), new Rng(1), { projection });
      const x = randn([4, 10, 6], new Rng(3));
      expect((await m.forward(x)).shape).toEqual([4, 3]);
      expect((await m.forward(x.reshape([4, 60]))).shape).toEqual([4, 3]);
      const names = m.namedParameters().map(([n]) => n);
      expect(names.includes('projection.weight')).toBe(projection === undefined);
      expect(names.at(-1)).toBe('post.2.bias');
    }
    const m = new TdnnClassifier(spec, new Rng(0), new Rng(1));
    await expect(m.forward(randn([4, 10, 5], new Rng(0)))).rejects.toThrowError(
      'TdnnClassifier: x expected [B, T, 6] or [B, 60], got [4, 10, 5]',
    );
    expect(m.describe()).toBe('10×6 → TDNN 8ch [k/dil 5/1,3/2] → stats 16 → 8 → [Linear 8→8] → 3');
    expect(new TdnnClassifier(spec, new Rng(0), new Rng(1), { projection: null }).describe()).toContain(
      '→ 8 → [removed] → 3',
    );
  });

  it('a module in the projection slot: its name, the layers after it, its label; awaited if async', async () => {
    const seen: number[] = [];
    const m = new TdnnClassifier(spec, new Rng(0), new Rng(1), {
      projection: (d) => {
        seen.push(d);
        return { name: 'device', module: new AsyncScale(), after: [new CenterRows()], label: `x2 ${d}→${d}` };
      },
    });
    expect(seen).toEqual([8]);
    expect(m.projection).toBeInstanceOf(AsyncScale);
    expect(m.post.layers[0]).toBeInstanceOf(CenterRows);
    expect(m.describe()).toContain('→ [x2 8→8] →');
    // CenterRows shifts the post layers: BatchNorm1d is post.1
    expect(m.namedParameters().map(([n]) => n)).toContain('post.1.weight');
    const x = randn([4, 10, 6], new Rng(3));
    const h = m.pre.forward(m.pool.forward(m.frameLayers.forward(x)));
    const want = m.post.forward(h.mul(2)).toFlat();
    const got = (await m.forward(x)).toFlat();
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 6);
  });

  it("draws from initRng in layer order: the slot is built at the projection's turn", () => {
    const digital = new TdnnClassifier(spec, new Rng(0), new Rng(1)).stateDict();
    const removed = new TdnnClassifier(spec, new Rng(0), new Rng(1), { projection: null }).stateDict();
    const other = new TdnnClassifier(spec, new Rng(0), new Rng(1), {
      projection: () => ({ name: 'device', module: new AsyncScale(), label: 'x2' }),
    }).stateDict();
    // a slot that draws nothing from initRng leaves every weight as with the projection removed
    expect(Object.keys(other)).toEqual(Object.keys(removed));
    for (const k of Object.keys(other)) expect(other[k]!.toFlat()).toEqual(removed[k]!.toFlat());
    // the layers before the slot do not depend on it; the classifier after it draws after the Linear
    for (const k of Object.keys(other).filter((n) => !n.startsWith('post.')))
      expect(other[k]!.toFlat()).toEqual(digital[k]!.toFlat());
    expect(other['post.2.weight']!.toFlat()).not.toEqual(digital['post.2.weight']!.toFlat());
  });

  it('backpropagates into the convolutions', async () => {
    const m = new TdnnClassifier({ ...spec, dropout: 0.1 }, new Rng(0), new Rng(1));
    const logits = await m.forward(randn([5, 10, 6], new Rng(4)));
    crossEntropy(logits, Int32Array.of(0, 1, 2, 0, 1)).backward();
    const conv = m.namedParameters().find(([n]) => n === 'frames.0.weight')![1];
    expect(conv.grad!.toFlat().some((v) => v !== 0)).toBe(true);
  });

  it('rejects bad sizes with the argument named', () => {
    const r = new Rng(0);
    expect(() => new TdnnClassifier({ ...spec, embedding: 1 }, r, r)).toThrowError(
      'TdnnClassifier: embedding: expected an integer >= 2, got 1',
    );
    expect(() => new TdnnClassifier({ ...spec, blocks: [] }, r, r)).toThrowError(
      'TdnnClassifier: blocks expected at least one [kernel, dilation]',
    );
  });
});
