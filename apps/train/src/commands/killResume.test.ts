import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../testing/bundleCli.js';
import { type CliProcess, killAndResume, runToEnd } from '../testing/killResume.js';

// The issue-#20 guarantee, tested on real processes: a run killed with SIGKILL at 20 random
// moments and resumed each time ends with the model file and report of the run that was never
// interrupted (timings aside). `tenzo-train` runs from a bundle of the sources (no build needed).

const KILLS = 20;
const root = mkdtempSync(join(tmpdir(), 'tenzo-kill-'));
let cli: CliProcess;
beforeAll(async () => {
  cli = await bundleCli();
}, 60_000);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (cli) rmSync(cli.script, { force: true });
});

/** A report without what differs between runs by nature: timings and the output paths. */
function comparable(path: string): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => !/seconds|wall|^out$|^json$/i.test(k))
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  return strip(JSON.parse(readFileSync(path, 'utf8')));
}

async function check(
  name: string,
  argv: (out: string) => string[],
  files: { reports: string[]; models: string[] },
  seed: number,
  banner = 'MNIST:',
) {
  const ref = join(root, `${name}-ref`);
  const run = join(root, `${name}-killed`);
  const trainMs = await runToEnd(cli, argv(ref), banner);
  const r = await killAndResume(cli, argv(run), {
    kills: KILLS,
    trainMs,
    seed,
    banner,
    outDir: run,
  });
  if (process.env.TENZO_KILL_LOG) console.error(name, r);
  expect(r.kills).toBe(KILLS);
  // kills landed all through training: some after the run had checkpointed progress (4–9 of 20
  // here), the others while it loaded or between two checkpoints
  expect(r.killsAfterProgress).toBeGreaterThanOrEqual(3);
  for (const f of files.models)
    expect(readFileSync(join(run, f)).equals(readFileSync(join(ref, f))), f).toBe(true);
  for (const f of files.reports) expect(comparable(join(run, f)), f).toEqual(comparable(join(ref, f)));
}

const mnist = (extra: string[]) => (out: string) => [
  'mnist',
  '--hidden',
  '32',
  '--batch-size',
  '128',
  '--epochs',
  '3',
  '--threads',
  '1',
  '--seed',
  '3',
  '--resume',
  '--checkpoint-every',
  '2',
  ...extra,
  '--out',
  out,
];
const single = { reports: ['report.json'], models: ['model.safetensors'] };

describe('SIGKILL at 20 random moments, resumed each time: bit-identical to the uninterrupted run', () => {
  it(
    'mnist, digital (augmentation and dropout generators)',
    () => check('digital', mnist([]), single, 1),
    240_000,
  );

  it(
    'mnist, hybrid SLM layer (ZO, sketch and probe streams, surrogate)',
    () =>
      check('slm', mnist(['--device', 'slm', '--width', '32', '--samples', '10', '--no-augment']), single, 2),
    240_000,
  );

  it(
    'mnist, hybrid MZI mesh layer',
    () =>
      check('mzi', mnist(['--device', 'mzi', '--width', '16', '--samples', '10', '--no-augment']), single, 3),
    240_000,
  );

  it(
    'hybrid: the four networks resume each from its own checkpoint',
    () =>
      check(
        'hybrid',
        (out) => [
          'hybrid',
          '--device',
          'slm',
          '--front',
          'dense',
          '--width',
          '16',
          '--samples',
          '8',
          '--epochs',
          '1',
          '--threads',
          '1',
          '--seed',
          '4',
          '--resume',
          '--checkpoint-every',
          '10',
          '--out',
          out,
        ],
        {
          reports: ['report.json', 'digital/report.json', 'hybrid/report.json', 'frozen/report.json'],
          models: ['digital/model.safetensors', 'hybrid/model.safetensors', 'removed/model.safetensors'],
        },
        4,
      ),
    300_000,
  );

  it(
    'lm: a GPT with CP multi-token heads (loss curve, generated sample)',
    () =>
      check(
        'lm',
        (out) => [
          'lm',
          '--steps',
          '150',
          '--batch-size',
          '4',
          '--seq-len',
          '16',
          '--d-model',
          '32',
          '--layers',
          '1',
          '--heads',
          '2',
          '--mtp',
          '2',
          '--sample',
          '20',
          '--seed',
          '7',
          '--resume',
          '--checkpoint-every',
          '4',
          '--out',
          out,
        ],
        { reports: ['report.json'], models: ['model.safetensors'] },
        7,
        'validation tokens',
      ),
    300_000,
  );

  it(
    'lm-hybrid: a GPT with a device FFN resumes inside a variant (validation curve included)',
    () =>
      check(
        'lm-hybrid',
        (out) => [
          'lm-hybrid',
          '--variants',
          'removed,slm',
          '--steps',
          '60',
          '--batch-size',
          '4',
          '--seq-len',
          '16',
          '--d-model',
          '16',
          '--samples',
          '6',
          '--eval-every',
          '10',
          '--eval-batches',
          '2',
          '--threads',
          '1',
          '--seed',
          '6',
          '--resume',
          '--checkpoint-every',
          '3',
          '--out',
          out,
        ],
        { reports: ['results.json', 'report.json'], models: [] },
        6,
        'validation chars',
      ),
    300_000,
  );

  it(
    'sweep: cells resume mid-run, results.json as if never stopped',
    () =>
      check(
        'sweep',
        (out) => [
          'sweep',
          '--devices',
          'slm',
          '--ranks',
          '2',
          '--samples',
          '4,8',
          '--seeds',
          '1',
          '--no-ablations',
          '--width',
          '16',
          '--epochs',
          '1',
          '--threads',
          '1',
          '--checkpoint-every',
          '10',
          '--out',
          out,
        ],
        { reports: ['results.json'], models: [] },
        5,
      ),
    300_000,
  );
});
