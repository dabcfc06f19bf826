import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { ArgumentError, FormatError } from '@tenzo/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mnistCommand, runMnist } from './mnist.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'mnist', mnistCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

/**
 * A CIFAR binary batch of `n` records: `labelBytes` label bytes (CIFAR-100: coarse, fine), then
 * 1024 R, 1024 G, 1024 B pixel bytes; record r has class r mod `classes` and pixels from a formula.
 */
function batchFile(path: string, n: number, labelBytes: 1 | 2, classes: number, offset: number): void {
  const rec = labelBytes + 3072;
  const out = new Uint8Array(n * rec);
  for (let r = 0; r < n; r++) {
    const label = (r + offset) % classes;
    out[r * rec] = labelBytes === 2 ? label % 20 : label;
    if (labelBytes === 2) out[r * rec + 1] = label;
    for (let i = 0; i < 3072; i++) out[r * rec + labelBytes + i] = (i * 7 + label * 29 + r * 13) % 256;
  }
  writeFileSync(path, out);
}

function cifar10(perFile: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenzo-cifar10-'));
  for (const k of [1, 2, 3, 4, 5]) batchFile(join(dir, `data_batch_${k}.bin`), perFile, 1, 10, k);
  batchFile(join(dir, 'test_batch.bin'), 4, 1, 10, 0);
  return dir;
}

// the CNN with a 16-wide head, 30 training images in batches of 10
const tiny = ['--front', 'cnn', '--width', '16', '--batch-size', '10', '--seed', '5'];
const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));

describe('tenzo-train mnist --data <CIFAR folder>', () => {
  const quiet: { mockRestore(): void }[] = [];
  beforeAll(() => {
    quiet.push(vi.spyOn(console, 'log').mockImplementation(() => {}));
    quiet.push(vi.spyOn(console, 'error').mockImplementation(() => {}));
  });
  afterAll(() => {
    for (const q of quiet) q.mockRestore();
  });

  it('CIFAR-10: trains the CNN and its SLM twin on the folder’s own split (augmented); resume refuses another folder', async () => {
    const data = cifar10(6);
    for (const device of ['none', 'slm']) {
      const out = mkdtempSync(join(tmpdir(), `tenzo-cifar-run-${device}-`));
      const h = await runMnist(
        flags([...tiny, '--data', data, '--device', device, '--epochs', '1', '--out', out]),
      );
      expect(h).toHaveLength(1);
      expect(Number.isFinite(h[0]!.trainLoss)).toBe(true);
      const r = report(out);
      expect(r.data).toEqual({ train: 30, test: 4, source: `CIFAR-10 binary batches in ${data}` });
      expect(r.model.shape).toBe(`3072-cnn16,32-2048→16-[${device === 'none' ? 'digital' : 'slm'} 16→16]-10`);
      expect(r.config.data).toBe(data);
    }
    const other = mkdtempSync(join(tmpdir(), 'tenzo-cifar10-copy-'));
    cpSync(data, other, { recursive: true });
    const out = mkdtempSync(join(tmpdir(), 'tenzo-cifar-resume-'));
    const run = (dir: string, extra: string[]) =>
      runMnist(flags([...tiny, '--data', dir, '--epochs', '2', '--out', out, ...extra]), {
        stopAfterEpochs: 1,
      });
    expect(await run(data, [])).toHaveLength(1);
    await expect(run(other, ['--resume'])).rejects.toThrowError(
      /the checkpoint was made with other settings/,
    );
    // the same folder resumes: epoch 2 of 2
    expect((await run(data, ['--resume'])).map((e) => e.epoch)).toEqual([1, 2]);
  }, 120_000);

  it('CIFAR-100: train.bin + test.bin, 100 fine classes', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tenzo-cifar100-'));
    batchFile(join(data, 'train.bin'), 20, 2, 100, 0);
    batchFile(join(data, 'test.bin'), 3, 2, 100, 50);
    const out = mkdtempSync(join(tmpdir(), 'tenzo-cifar100-run-'));
    await runMnist(flags([...tiny, '--data', data, '--no-augment', '--epochs', '1', '--out', out]));
    const r = report(out);
    expect(r.data.source).toBe(`CIFAR-100 binary batches in ${data}`);
    expect(r.model.shape).toBe('3072-cnn16,32-2048→16-[digital 16→16]-100');
  }, 120_000);

  it('refuses a dense or conv front, a missing folder and a malformed batch, naming the flag', async () => {
    const data = cifar10(1);
    for (const front of ['dense', 'conv'])
      await expect(runMnist(flags(['--data', data, '--front', front]))).rejects.toThrowError(
        new ArgumentError(
          `--front: expected 'cnn' with --data ${data} (the dense and conv fronts take 28×28 digits), got '${front}'`,
        ),
      );
    const missing = join(data, 'nope');
    await expect(runMnist(flags([...tiny, '--data', missing]))).rejects.toThrowError(ArgumentError);
    await expect(runMnist(flags([...tiny, '--data', missing]))).rejects.toThrowError(
      /^--data: expected a folder of CIFAR-10 binary batches .*which does not exist$/,
    );
    writeFileSync(join(data, 'data_batch_2.bin'), new Uint8Array(3000));
    await expect(runMnist(flags([...tiny, '--data', data]))).rejects.toThrowError(FormatError);
    await expect(runMnist(flags([...tiny, '--data', data]))).rejects.toThrowError(
      /^--data: loadCifar: .*data_batch_2\.bin: file size expected a positive multiple of the 3073-byte CIFAR-10 record, got 3000 bytes$/,
    );
  });
  it('--init with the CNN: the hybrid starts from the digital CNN (conv–BatchNorm stages by name), its device programmed to the head layer', async () => {
    const data = cifar10(6);
    const dig = mkdtempSync(join(tmpdir(), 'tenzo-cifar-init-dig-'));
    const digital = await runMnist(
      flags([...tiny, '--data', data, '--device', 'none', '--epochs', '1', '--out', dig]),
    );
    const init = ['--init', join(dig, 'model.safetensors'), '--lr', '1e-9', '--device-lr', '1e-9'];
    const run = ['--data', data, '--rank', '4', '--samples', '8', '--threads', '1', '--epochs', '1'];
    for (const device of ['slm', 'usv']) {
      const out = mkdtempSync(join(tmpdir(), `tenzo-cifar-init-${device}-`));
      await runMnist(flags([...tiny, ...run, '--device', device, ...init, '--out', out]));
      const r = report(out);
      expect(r.init.from).toEqual({ front: 'pre.', replaced: 'middle.', readout: 'post.' });
      expect(r.init.error).toBeLessThan(device === 'usv' ? 1e-9 : 0.05);
      expect(r.init.initialError).toBeGreaterThan(0.5);
      // before fine-tuning the programmed hybrid computes what the digital CNN did: its test loss
      // agrees up to the programming error (a random start is off by far more)
      const want = digital[0]!.testLoss!;
      expect(Math.abs(r.init.startLoss - want) / want).toBeLessThan(device === 'usv' ? 1e-5 : 0.02);
      expect(r.init.startAccuracy).toBe(digital[0]!.testAccuracy);
    }
    // another width is refused before training, naming the tensor
    await expect(
      runMnist(
        flags([
          ...tiny.map((a) => (a === '16' ? '12' : a)),
          ...run,
          '--device',
          'slm',
          ...init,
          '--out',
          dig,
        ]),
      ),
    ).rejects.toThrow(/initFromDigital: tensors 'pre\.9\.weight' expected \[12, 2048\], got \[16, 2048\]/);
  }, 120_000);
});
