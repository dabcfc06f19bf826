import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandSpec, type FlagSpecs, type FlagValues, parseCommand } from '@tenzo/cli';
import { ArgumentError } from '@tenzo/core';
import { syntheticKeywords } from '@tenzo/data';
import { type DeviceServer, initSegments, startDeviceServer } from '@tenzo/device-app/server';
import { slmPhaseMatrix } from '@tenzo/devices';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { audioSweepCells, audioSweepCommand, runAudioSweep } from './audioSweep.js';
import { hybridCommand, hybridRuns } from './hybrid.js';
import { lmHybridCommand, runLmHybrid } from './lmHybrid.js';
import { mnistCommand, runMnist } from './mnist.js';
import { runSweep, sweepCells, sweepCommand } from './sweep.js';

// `--device remote:<url>` on lm-hybrid and the sweeps, and the drift monitor's flags, against a
// loopback `tenzo-device serve` server started by the test (random port, no token).

const started: DeviceServer[] = [];
async function serve(d: number, faults: Parameters<typeof startDeviceServer>[0]['faults'] = {}) {
  const device = slmPhaseMatrix({ dIn: d, dOut: d, seed: 0 });
  const s = await startDeviceServer({ device, init: initSegments(device), faults });
  started.push(s);
  return s;
}
const quiet: ReturnType<typeof vi.spyOn>[] = [];
const warnings: string[] = [];
beforeEach(() => {
  warnings.length = 0;
  quiet.push(
    vi.spyOn(console, 'log').mockImplementation(() => {}),
    vi.spyOn(console, 'error').mockImplementation(() => {}),
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void warnings.push(line)),
  );
});
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
  for (const q of quiet.splice(0)) q.mockRestore();
});

function parse<F extends FlagSpecs>(name: string, command: CommandSpec<F>, argv: string[]): FlagValues<F> {
  const r = parseCommand(argv, { name: 'tenzo-train' }, name, command);
  if ('kind' in r) throw new Error('unexpected help');
  return r.flags;
}
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `tenzo-${name}-`));

describe('tenzo-train lm-hybrid --device remote:<url>', () => {
  const tiny = ['--d-model', '16', '--layers', '1', '--heads', '2', '--seq-len', '16', '--batch-size', '4'];
  const short = ['--steps', '4', '--eval-every', '2', '--eval-batches', '1', '--rank', '2', '--samples', '4'];
  const flags = (argv: string[]) => parse('lm-hybrid', lmHybridCommand, [...tiny, ...short, ...argv]);

  it("the 'remote' variant's feed-forward slot is the served device", async () => {
    const server = await serve(16);
    const out = tmp('lmh-remote');
    const r = await runLmHybrid(
      flags([
        '--variants',
        'digital,remote',
        '--device',
        `remote:${server.url}`,
        '--out',
        out,
        '--json',
        join(out, 'r.json'),
      ]),
    );
    const remote = r.variants.remote!;
    expect(remote.ffn).toBe('REMOTE 16→16');
    expect(remote.deviceParameters).toBeGreaterThan(0);
    expect(remote.queries!.zo).toBeGreaterThan(0);
    expect(server.stats().queries).toBeGreaterThan(4);
    expect(Number.isFinite(remote.valLoss)).toBe(true);
    // where the device is served is not a setting of the run: the report's config leaves it out
    const report = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
    expect(JSON.stringify(report.config)).not.toContain('remote:');
  }, 120_000);

  it('refuses a remote variant without --device, --device without one, and a served device on every block', async () => {
    const server = await serve(16);
    const out = tmp('lmh-refused');
    await expect(runLmHybrid(flags(['--variants', 'remote', '--out', out]))).rejects.toThrow(
      new ArgumentError("--variants: 'remote' needs --device remote:http://host:port, got no --device"),
    );
    await expect(
      runLmHybrid(flags(['--variants', 'slm', '--device', `remote:${server.url}`, '--out', out])),
    ).rejects.toThrow(/--device: remote:.* is only used by a 'remote' entry of --variants, got none/);
    // two blocks: 'all' and 2 would each need a second served device
    const twoBlocks = tiny.map((x, i) => (tiny[i - 1] === '--layers' ? '2' : x));
    for (const layers of ['all', '2'])
      await expect(
        runLmHybrid(
          parse('lm-hybrid', lmHybridCommand, [
            ...twoBlocks,
            ...short,
            '--variants',
            'remote',
            '--device',
            `remote:${server.url}`,
            '--device-layers',
            layers,
            '--out',
            out,
          ]),
        ),
      ).rejects.toThrow(/--device-layers: a remote variant fills one block/);
    await expect(
      runLmHybrid(flags(['--variants', 'remote', '--device', 'slm', '--out', out])),
    ).rejects.toThrow("--device: expected remote:http://host:port, got 'slm'");
  });
});

describe('tenzo-train sweep and audio-sweep --devices remote --device remote:<url>', () => {
  it('sweep: the remote cells run mnist against the served device', async () => {
    const server = await serve(16);
    const out = tmp('sweep-remote');
    const argv = [
      '--devices',
      'remote',
      '--device',
      `remote:${server.url}`,
      '--no-ablations',
      '--ranks',
      '2',
    ];
    const f = parse('sweep', sweepCommand, [
      ...argv,
      '--samples',
      '4',
      '--seeds',
      '1',
      '--width',
      '16',
      '--epochs',
      '1',
      '--threads',
      '1',
      '--out',
      out,
    ]);
    expect(
      sweepCells(f)
        .find((c) => c.key === 'remote/r2/m4/s1')!
        .argv.slice(0, 2),
    ).toEqual(['--device', `remote:${server.url}`]);
    const results = await runSweep(f);
    expect(results.map((r) => r.key)).toEqual([
      'digital/s1',
      'removed/s1',
      'remote/frozen/s1',
      'remote/r2/m4/s1',
    ]);
    const cell = results.find((r) => r.key === 'remote/r2/m4/s1')!;
    expect(cell.device).toBe('remote');
    expect(cell.queriesPerStep).toBeGreaterThan(0);
    expect(cell.testAccuracy).toBeGreaterThan(0.2); // chance is 0.1
    expect(server.stats().queries).toBeGreaterThan(100);
    // the ablations need exact access, which a served device does not give
    expect(() =>
      sweepCells(
        parse('sweep', sweepCommand, ['--devices', 'slm,remote', '--device', `remote:${server.url}`]),
      ),
    ).toThrow(/--ablations: .* add --no-ablations/);
    expect(() => sweepCells(parse('sweep', sweepCommand, ['--devices', 'remote']))).toThrow(
      "--devices: 'remote' needs --device remote:http://host:port, got no --device",
    );
  }, 240_000);

  it('audio-sweep: the remote cells run audio against the served device (its width: --embedding)', async () => {
    const server = await serve(16);
    const data = syntheticKeywords({
      classes: 4,
      trainPerClass: 12,
      testPerClass: 4,
      frames: 16,
      features: 8,
      seed: 5,
    });
    const argv = [
      '--devices',
      'remote',
      '--device',
      `remote:${server.url}`,
      '--no-ablations',
      '--ranks',
      '2',
    ];
    const f = parse('audio-sweep', audioSweepCommand, [
      ...argv,
      '--samples',
      '4',
      '--seeds',
      '1',
      '--embedding',
      '16',
      '--channels',
      '8',
      '--epochs',
      '1',
      '--batch-size',
      '16',
      '--threads',
      '1',
      '--out',
      tmp('asweep-remote'),
    ]);
    expect(audioSweepCells(f).map((c) => c.key)).toEqual([
      'digital/s1',
      'removed/s1',
      'remote/frozen/s1',
      'remote/r2/m4/s1',
    ]);
    const results = await runAudioSweep(f, { data });
    expect(results.find((r) => r.key === 'remote/r2/m4/s1')!.queriesPerStep).toBeGreaterThan(0);
    expect(server.stats().queries).toBeGreaterThan(10);
  }, 120_000);
});

describe('--drift-every and --drift-threshold', () => {
  it('mnist against a drifting served device: drift is detected, the surrogate rebuilt, a warning logged', async () => {
    // every query's outputs are scaled by 1 + 2e-4·k: ~1% per 50 queries
    const server = await serve(16, { drift: 2e-4 });
    const argv = ['--width', '16', '--rank', '2', '--samples', '4', '--batch-size', '128', '--no-augment'];
    const h = await runMnist(
      parse('mnist', mnistCommand, [
        ...argv,
        '--device',
        `remote:${server.url}`,
        '--drift-every',
        '5',
        '--drift-threshold',
        '0.01',
        '--epochs',
        '1',
        '--out',
        tmp('mnist-drift'),
      ]),
    );
    const faults = h[0]!.deviceFaults!;
    expect(faults.driftChecks).toBeGreaterThan(5);
    expect(faults.driftRebuilds).toBeGreaterThan(0);
    expect(faults.driftQueries).toBeGreaterThan(0);
    expect(warnings.some((w) => /output drift .* above 0\.01: surrogate rebuilt exactly/.test(w))).toBe(true);
  }, 120_000);

  it('are off by default (no drift settings in the config), refused alone, and passed on to the runs a command starts', () => {
    const plain = parse('mnist', mnistCommand, []);
    expect(JSON.stringify(plain)).not.toContain('drift');
    expect(
      hybridRuns(parse('hybrid', hybridCommand, ['--drift-every', '7'])).map((r) =>
        r.argv.join(' ').includes('--drift-every 7'),
      ),
    ).toEqual([false, false, true, true]); // digital, removed: no device; frozen, hybrid: the device's
    const cells = sweepCells(
      parse('sweep', sweepCommand, ['--devices', 'slm', '--drift-every', '3', '--drift-threshold', '0.2']),
    );
    expect(cells.find((c) => c.key === 'slm/r1/m10/s1')!.argv.join(' ')).toContain(
      '--drift-every 3 --drift-threshold 0.2',
    );
    expect(cells.find((c) => c.key === 'digital/s1')!.argv.join(' ')).not.toContain('drift');
    return expect(
      runMnist(
        parse('mnist', mnistCommand, ['--device', 'slm', '--drift-threshold', '0.1', '--epochs', '1']),
      ),
    ).rejects.toThrow('--drift-threshold: needs --drift-every <steps>, got --drift-threshold 0.1 alone');
  });
});
