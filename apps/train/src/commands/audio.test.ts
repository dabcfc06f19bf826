import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '@tenzo/cli';
import { syntheticKeywords } from '@tenzo/data';
import { describe, expect, it, vi } from 'vitest';
import { audioCommand, runAudio } from './audio.js';

function flags(argv: string[]) {
  const r = parseCommand(argv, { name: 'tenzo-train' }, 'audio', audioCommand);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}

// a tiny task and network: 4 keywords, 24 frames × 12 bins, 16 channels, d = 16
const data = syntheticKeywords({
  classes: 4,
  trainPerClass: 24,
  testPerClass: 8,
  frames: 24,
  features: 12,
  seed: 5,
});
const base = ['--channels', '16', '--embedding', '16', '--batch-size', '16', '--warmup', '5', '--seed', '2'];

describe('tenzo-train audio', () => {
  it('digital: the loss falls, report/plot/model/checkpoint are written, resume reproduces the run', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dirA = mkdtempSync(join(tmpdir(), 'tenzo-audio-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'tenzo-audio-b-'));
    const argv = [...base, '--epochs', '3'];
    const full = await runAudio(flags([...argv, '--out', dirA, '--json', join(dirA, 'r.json')]), { data });
    expect(full).toHaveLength(3);
    expect(full[2]!.trainLoss).toBeLessThan(full[0]!.trainLoss);
    expect(full[2]!.trainLoss).toBeLessThan(Math.log(4));
    for (const f of [
      'report.json',
      'learning-curve.svg',
      'model.safetensors',
      'checkpoint.safetensors',
      'r.json',
    ])
      expect(existsSync(join(dirA, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(dirA, 'report.json'), 'utf8'));
    expect(report.final.testAccuracy).toBe(full[2]!.testAccuracy);
    expect(report.data).toMatchObject({ train: 96, test: 32, frames: 24, features: 12 });
    expect(readFileSync(join(dirA, 'learning-curve.svg'), 'utf8')).toMatch(/^<svg/);

    await runAudio(flags([...argv, '--out', dirB]), { data, stopAfterEpochs: 1 });
    const resumed = await runAudio(flags([...argv, '--out', dirB, '--resume']), { data });
    expect(resumed.map((h) => [h.trainLoss, h.testAccuracy])).toEqual(
      full.map((h) => [h.trainLoss, h.testAccuracy]),
    );
    log.mockRestore();
    err.mockRestore();
  }, 60_000);

  it('--init: the hybrid starts from the trained digital TDNN, its device programmed to the projection', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dig = mkdtempSync(join(tmpdir(), 'tenzo-audio-dig-'));
    const digital = await runAudio(flags([...base, '--epochs', '3', '--out', dig]), { data });
    const file = join(dig, 'model.safetensors');
    // a tiny learning rate: the fine-tuned hybrid stays where the programmed start put it
    const tune = ['--epochs', '1', '--lr', '1e-6', '--device-lr', '1e-6', '--rank', '4', '--samples', '8'];
    for (const [device, tol] of [
      ['slm', 0.05],
      ['usv', 1e-9],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), `tenzo-audio-init-${device}-`));
      const json = join(dir, 'r.json');
      const run = await runAudio(
        flags([...base, ...tune, '--device', device, '--init', file, '--out', dir, '--json', json]),
        { data },
      );
      const { init } = JSON.parse(readFileSync(json, 'utf8'));
      expect(init.error, device).toBeLessThan(tol);
      expect(init.initialError).toBeGreaterThan(0.5);
      // before fine-tuning it classifies as the digital network did (this tiny network is far from
      // converged, so the epoch after it moves: the BatchNorm statistics take the new batches)
      expect(Math.abs(init.startAccuracy - digital[2]!.testAccuracy), device).toBeLessThanOrEqual(1 / 32);
      expect(run).toHaveLength(1);
    }
    expect(err.mock.calls.some(([m]) => /--init .*device programmed to the projection/.test(String(m)))).toBe(
      true,
    );
    // a digital projection has no device to program; a file of another shape is refused by name
    await expect(runAudio(flags([...base, '--init', file, '--out', dig]), { data })).rejects.toThrow(
      /initTdnnFromDigital: net expected a HybridTdnn with a device in its projection, got one without/,
    );
    await expect(
      runAudio(
        flags(['--channels', '16', '--embedding', '8', '--rank', '4', '--device', 'slm', '--init', file]),
        {
          data,
        },
      ),
    ).rejects.toThrow(/initTdnnFromDigital: tensors 'pre\.1\.weight' expected \[8, 32\], got \[16, 32\]/);
    log.mockRestore();
    err.mockRestore();
  }, 120_000);

  it('hybrid SLM with 2-bit phases: starts off A ≡ 0, steps one DAC level, trains', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-audio-q-'));
    const h = await runAudio(
      flags([
        ...base,
        ...[
          '--epochs',
          '3',
          '--device',
          'slm',
          '--rank',
          '4',
          '--samples',
          '8',
          '--phase-bits',
          '2',
          '--out',
          dir,
        ],
      ]),
      { data },
    );
    expect(h[2]!.trainLoss).toBeLessThan(h[0]!.trainLoss);
    expect(h[2]!.trainLoss).toBeLessThan(Math.log(4));
    // ω moved: every step ran a KSL update after the ZO step
    expect(h[2]!.deviceQueries!.surrogate).toBe(6 * 2 * (4 + 8));
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.model.mu).toBeCloseTo(Math.PI / 2, 14);
    log.mockRestore();
    err.mockRestore();
  }, 60_000);

  it('hybrid SLM with 8-bit phases and 1% output noise: trains through the device and counts queries', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'tenzo-audio-h-'));
    const h = await runAudio(
      flags([
        ...base,
        ...['--epochs', '2', '--device', 'slm', '--rank', '4', '--samples', '8'],
        ...['--noise', '0.01', '--phase-bits', '8', '--out', dir],
      ]),
      { data },
    );
    expect(h[1]!.trainLoss).toBeLessThan(h[0]!.trainLoss);
    const q = h[1]!.deviceQueries!;
    // 6 steps of 16 clips: forward 16, ZO 8 directions × 16 compressed rows, KSL 2(r + M) = 24
    expect(q.forward).toBe(96);
    expect(q.zo).toBe(6 * 8 * 16);
    expect(q.surrogate).toBe(6 * 24);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.final.queriesPerStep).toBe(q.perStep);
    expect(report.model.shape).toContain('[slm 16→16]');
    log.mockRestore();
    err.mockRestore();
  }, 60_000);

  it('rejects device options without a device and bad flags, naming the flag', async () => {
    await expect(runAudio(flags([...base, '--noise', '0.1']), { data })).rejects.toThrowError(
      '--noise: needs a simulated --device, got --device none',
    );
    await expect(
      runAudio(flags([...base, '--device', 'matvec', '--phase-bits', '4']), { data }),
    ).rejects.toThrowError("phaseBits: device 'matvec' is a digital control without phases");
    expect(() => flags(['--noise', '2'])).toThrowError(/--noise/);
    expect(() => flags(['--device', 'laser'])).toThrowError(/--device/);
  });
});
