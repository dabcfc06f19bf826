import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { describe, expect, it, vi } from 'vitest';
import { mnistCommand, runMnist } from './mnist.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'mnist', mnistCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

// small and fast: one narrow hidden layer, two epochs, no augmentation
const base = ['--hidden', '32', '--batch-size', '128', '--no-augment', '--seed', '3'];

describe('tenzo-train mnist', () => {
  it('trains, writes report/plot/model, and resumes an interrupted run to the identical result', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dirA = mkdtempSync(join(tmpdir(), 'tenzo-mnist-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'tenzo-mnist-b-'));
    const full = await runMnist(
      flags([...base, '--epochs', '2', '--out', dirA, '--json', join(dirA, 'results.json')]),
    );
    expect(full).toHaveLength(2);
    expect(full[1]!.testAccuracy).toBeGreaterThan(0.85);
    for (const f of [
      'report.json',
      'learning-curve.svg',
      'model.safetensors',
      'checkpoint.safetensors',
      'results.json',
    ]) {
      expect(existsSync(join(dirA, f)), f).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(dirA, 'results.json'), 'utf8'));
    expect(report.final.testAccuracy).toBe(full[1]!.testAccuracy);
    expect(report.seed).toBe(3);

    const first = await runMnist(flags([...base, '--epochs', '2', '--out', dirB]), { stopAfterEpochs: 1 });
    expect(first).toHaveLength(1);
    const resumed = await runMnist(flags([...base, '--epochs', '2', '--out', dirB, '--resume']));
    expect(resumed.map((h) => [h.trainLoss, h.testLoss, h.testAccuracy])).toEqual(
      full.map((h) => [h.trainLoss, h.testLoss, h.testAccuracy]),
    );
    await expect(runMnist(flags([...base, '--epochs', '3', '--out', dirB, '--resume']))).rejects.toThrowError(
      /the checkpoint was made with other settings/,
    );
    log.mockRestore();
    err.mockRestore();
  }, 120_000);

  it('hybrid with --batch-rank and --sketch-samples: k inputs per ZO direction, M_SM apart', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-mnist-k-'));
    const argv = ['--width', '16', '--batch-size', '128', '--no-augment', '--seed', '3', '--epochs', '1'];
    const h = await runMnist(
      flags([
        ...argv,
        ...['--device', 'slm', '--rank', '2', '--samples', '4', '--sketch-samples', '3', '--batch-rank', '2'],
        ...['--backward-probes', '3', '--out', dir],
      ]),
    );
    const q = h[0]!.deviceQueries!;
    const steps = Math.ceil(8000 / 128);
    // (M_BB + 1) settings × k = 2 probe inputs per step
    expect(q.zo).toBe(steps * 5 * 2);
    // M_BW = 3 backward probes per training batch
    expect(q.correction).toBe(steps * 3);
    // each implicit KSL update: 2(r + M_SM) = 10 inputs
    expect(q.surrogate! % 10).toBe(0);
    expect(q.surrogate).toBeGreaterThan(0);
    expect(h[0]!.batchCaptured).toBeGreaterThan(0);
    expect(h[0]!.batchCaptured).toBeLessThanOrEqual(1 + 1e-12);
    expect(h[0]!.testAccuracy).toBeGreaterThan(0.2); // chance is 0.1
    log.mockRestore();
    err.mockRestore();
  }, 120_000);

  it('--front conv: the digital network of the conv shape, the device on its feature maps, a resumable config', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-mnist-c-'));
    // 4 filters of 8×8 at stride 6 (padding 1): 4 × 4 × 4 = 64 device inputs
    const conv = ['--front', 'conv', '--conv-channels', '4', '--conv-kernel', '8', '--conv-stride', '6'];
    const argv = [
      ...conv,
      '--conv-padding',
      '1',
      '--no-augment',
      '--batch-size',
      '128',
      '--warmup',
      '10',
      '--epochs',
      '1',
    ];
    const digital = await runMnist(flags([...argv, '--out', join(dir, 'd'), '--json', join(dir, 'd.json')]));
    const report = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8'));
    expect(report.model.shape).toBe('784-conv8x8/6×4-[digital 64→64]-10');
    // conv 4·64 + 4, Linear 64·64 + 64, Linear 64·10 + 10
    expect(report.model.parameters).toBe(260 + 4160 + 650);
    expect(report.config.front).toBe('conv');
    expect(digital[0]!.testAccuracy).toBeGreaterThan(0.4); // chance is 0.1
    const hybrid = await runMnist(
      flags([...argv, '--device', 'mrr', '--rank', '2', '--samples', '4', '--out', join(dir, 'h')]),
    );
    const h = JSON.parse(readFileSync(join(dir, 'h', 'report.json'), 'utf8'));
    expect(h.model.shape).toBe('784-conv8x8/6×4-[mrr 64→64]-10');
    expect(hybrid[0]!.deviceQueries!.forward).toBeGreaterThan(0);
    // the dense front leaves its settings out of the config (older checkpoints stay resumable)
    await runMnist(
      flags([
        '--no-augment',
        '--batch-size',
        '512',
        '--hidden',
        '8',
        '--epochs',
        '1',
        '--out',
        join(dir, 'm'),
      ]),
    );
    const m = JSON.parse(readFileSync(join(dir, 'm', 'report.json'), 'utf8'));
    expect(Object.keys(m.config).filter((k) => k.startsWith('conv') || k === 'front')).toEqual([]);
    log.mockRestore();
    err.mockRestore();
  }, 120_000);

  it('--init: a hybrid starts from the trained digital network, its device programmed to the replaced layer', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dig = mkdtempSync(join(tmpdir(), 'tenzo-mnist-dig-'));
    const hyb = mkdtempSync(join(tmpdir(), 'tenzo-mnist-init-'));
    const small = ['--batch-size', '128', '--no-augment', '--seed', '3', '--epochs', '1'];
    const digital = await runMnist(flags([...small, '--hidden', '24,24', '--out', dig]));
    const json = join(hyb, 'r.json');
    const run = ['--device', 'slm', '--rank', '4', '--samples', '8', '--threads', '1'];
    // a tiny learning rate: the fine-tuned hybrid stays where the programmed start put it
    const init = ['--init', join(dig, 'model.safetensors'), '--lr', '1e-6', '--device-lr', '1e-6'];
    const hybrid = await runMnist(
      flags([...small, ...run, '--width', '24', ...init, '--out', hyb, '--json', json]),
    );
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.init.from).toEqual({ front: '0.', replaced: '3.', readout: '6.' });
    expect(report.init.error).toBeLessThan(0.05);
    expect(report.init.initialError).toBeGreaterThan(0.5);
    // before fine-tuning, the programmed hybrid classifies as the digital network did
    expect(Math.abs(report.init.startAccuracy - digital[0]!.testAccuracy)).toBeLessThan(0.01);
    expect(
      err.mock.calls.some(([m]) =>
        /--init .*device programmed to its layer '3\.' with error/.test(String(m)),
      ),
    ).toBe(true);
    // the hybrid computes what the digital network did: the same test accuracy within a point
    expect(Math.abs(hybrid[0]!.testAccuracy - digital[0]!.testAccuracy)).toBeLessThan(0.01);
    // a file of another shape is refused before training, naming the tensor
    await expect(runMnist(flags([...small, ...run, '--width', '16', ...init, '--out', hyb]))).rejects.toThrow(
      /initFromDigital: tensors '0\.weight' \(front\) expected \[16, 784\], got \[24, 784\]/,
    );
    // torchonn's usv MZI layer is programmed from the layer's SVD: exact in the ideal model
    const usvJson = join(hyb, 'usv.json');
    const usvRun = ['--device', 'usv', '--rank', '4', '--samples', '8', '--threads', '1', '--width', '24'];
    await runMnist(flags([...small, ...usvRun, ...init, '--out', join(hyb, 'usv'), '--json', usvJson]));
    const usv = JSON.parse(readFileSync(usvJson, 'utf8'));
    expect(usv.init.error).toBeLessThan(1e-9);
    expect(usv.init.queries.inputs).toBe(2 * 512); // two reads of the 512 probe rows
    expect(Math.abs(usv.init.startAccuracy - digital[0]!.testAccuracy)).toBeLessThan(0.005);
    // a unitary mesh (one phase does not set one entry) is refused, naming the route that exists
    await expect(
      runMnist(flags([...small, '--device', 'mzi', '--rank', '4', '--width', '24', ...init, '--out', hyb])),
    ).rejects.toThrow(/programElementwise: device expected one parameter per matrix entry.*programMesh/);
  }, 120_000);

  it('rejects bad flags with the flag named', () => {
    expect(() => flags(['--epochs', '0'])).toThrowError(/--epochs: expected an integer >= 1/);
    expect(() => flags(['--dropout', '1'])).toThrowError(/--dropout/);
  });
});
