import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { defineCommand, parseArgs } from '@tenzo/cli';
import { checkOutputs, exitOnError, progressBar, writeReport } from '@tenzo/cli/node';
import { ArgumentError } from '@tenzo/core';
import type { BenchRow, SuiteContext } from './harness.js';
import { htbbCommand, runHtbb } from './htbbCommand.js';
import { htbbTableCommand, runHtbbTable } from './htbbTableCommand.js';
import { type BenchReport, renderTable, withRatios, writeBenchOutputs } from './report.js';
import { devicesSuite } from './suites/devices.js';
import { HYBRID_BASELINE, HYBRID_DEVICES, type HybridDeviceKind, hybridSuite } from './suites/hybrid.js';
import { linalgSuite } from './suites/linalg.js';
import { matmulCases, matmulSuite } from './suites/matmul.js';
import { mlpSuite } from './suites/mlp.js';
import { mtpSuite } from './suites/mtp.js';
import { mtpModelsSuite } from './suites/mtpModels.js';
import { REMOTE_BASELINE, remoteSuite } from './suites/remote.js';
import { zoSuite } from './suites/zo.js';

interface SuiteEntry {
  run: (ctx: SuiteContext) => Promise<BenchRow[]>;
  /** baselines in order of preference (see withRatios) */
  baselines: readonly string[];
  /** rows the suite produces, when known up front (for the progress bar's ETA) */
  expectedRows?: (size: Size) => number;
}

/** --quick, the default short set, or --full */
type Size = 'quick' | 'default' | 'full';

const suites = {
  matmul: {
    run: matmulSuite,
    baselines: ['tfjs-wasm', 'ml-matrix'],
    // cases × (6 float32 + 4 float64 implementations) / 2
    expectedRows: (s: Size) => matmulCases(s) * 5,
  },
  mlp: { run: mlpSuite, baselines: ['tfjs-wasm'], expectedRows: () => 10 },
  linalg: { run: linalgSuite, baselines: ['ml-matrix'] },
  zo: { run: zoSuite, baselines: [] },
  mtp: { run: mtpSuite, baselines: ['autoregressive', 'unbalanced'] },
  devices: { run: devicesSuite, baselines: [] },
  remote: { run: remoteSuite, baselines: [REMOTE_BASELINE], expectedRows: () => 6 },
  hybrid: { run: (ctx: SuiteContext) => hybridSuite(ctx), baselines: [HYBRID_BASELINE] },
} satisfies Record<string, SuiteEntry>;

const sharedFlags = {
  quick: { type: 'boolean', help: 'tiny sizes and few rounds (smoke test)' },
  full: { type: 'boolean', help: 'the long grids: every size, bmm, more rounds' },
  out: { type: 'string', default: 'runs/bench', meta: 'dir', help: 'folder for <suite>.json/.md/.svg' },
  threads: {
    type: 'integer',
    min: 1,
    max: 256,
    default: availableParallelism(),
    help: "threads of tenzo's multi-threaded rows and the peers' all-threads rows (hybrid; default: all cores)",
  },
} as const;

/** this package's version, for --version (package.json sits one folder above src/ and dist/) */
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const app = {
  version,
  name: 'tenzo-bench',
  description:
    'Side-by-side benchmarks of tenzo against its peers, measured in one process, implementations of a case in interleaved rounds. Without a command: `all`.',
  commands: {
    all: defineCommand({
      description:
        'a short representative set (what `pnpm bench` runs): matmul 256 and 512, the MLP step, QR/SVD, the hybrid step on SLM and MRR vs PyTorch; --full: every suite above at its full grid and all three devices',
      flags: sharedFlags,
    }),
    kernels: defineCommand({
      description:
        'matmul (f32/f64) and an MLP training step and softmax cross-entropy on every tenzo backend vs tfjs-cpu, tfjs-wasm, ml-matrix, plain JS',
      flags: sharedFlags,
    }),
    matmul: defineCommand({
      description:
        'square matmul 256 and 512 (--full: 128…1024 and bmm), f32/f64, tenzo reference/fast/gpu vs tfjs-cpu, tfjs-wasm, ml-matrix, plain JS',
      flags: sharedFlags,
    }),
    mlp: defineCommand({
      description:
        'one 784-128-10 MLP training step (batch 64) and softmax cross-entropy fwd+bwd vs tfjs-cpu and tfjs-wasm',
      flags: sharedFlags,
    }),
    linalg: defineCommand({
      description:
        'float64 QR and SVD (tall-skinny and square; --full: up to 1024×64 and 512×512) vs ml-matrix',
      flags: sharedFlags,
    }),
    zo: defineCommand({
      description: 'zeroth-order estimators on a 64×64 MZI mesh: cosine to the exact gradient and queries',
      flags: sharedFlags,
    }),
    mtp: defineCommand({
      description:
        'CP multi-token heads: self-speculative vs autoregressive decoding (ms/token, tokens/forward, acceptance), n 2 and 4, r 1 and 4 (--full: n 2-4, r 1-8), code and text',
      flags: sharedFlags,
    }),
    'mtp-models': defineCommand({
      description:
        'saved CP multi-token models (tenzo-train lm): greedy self-speculative vs greedy autoregressive decoding of each, interleaved rounds on prompts from the validation split of their corpus (ms/token with spread, speedup, tokens/forward, acceptance, exactness)',
      flags: {
        ...sharedFlags,
        models: {
          type: 'string',
          meta: 'files',
          help: 'comma-separated model.safetensors files written by tenzo-train lm',
        },
        corpus: {
          type: 'string',
          default: 'code',
          meta: 'spec',
          help: "the models' corpus, as tenzo-train lm --corpus takes it (code, text, a file, folder or glob)",
        },
        prompts: {
          type: 'integer',
          default: 8,
          min: 1,
          max: 1000,
          help: 'prompts from the validation split',
        },
        promptLen: { type: 'integer', default: 32, min: 1, help: 'tokens per prompt' },
        newTokens: { type: 'integer', default: 96, min: 1, help: 'tokens generated per prompt' },
        draftThresholds: {
          type: 'string',
          default: '0',
          meta: 'list',
          help: "comma-separated draft thresholds in [0, 1], one speculative row each: drafting stops where the heads' most likely token has less probability (0: all n tokens)",
        },
      },
    }),
    hybrid: defineCommand({
      description:
        "one hybrid training step's device side (SLM, MRR, MZI 256×256, batch 64, r = 10, M_BB = M_SM = 100): tenzo's settings vs the reference algorithm in PyTorch (float32; ZO loop and batched; 1 and all threads) when a python has torch",
      flags: {
        ...sharedFlags,
        devices: {
          type: 'string',
          default: HYBRID_DEVICES.join(','),
          meta: 'list',
          help: 'comma-separated subset of slm,mrr,mzi',
        },
      },
    }),
    devices: defineCommand({
      description: 'device simulators: queries per second at 64×64 (--full: also 256×256), batch 256',
      flags: sharedFlags,
    }),
    remote: defineCommand({
      description:
        'the remote device protocol on loopback: RemoteDevice + tenzo-device server vs the in-process simulator, SLM 256×256 batch 64, float64 and float32 bodies, with and without a new ω per query (queries/s, overhead per query)',
      flags: sharedFlags,
    }),
    htbb: htbbCommand,
    'htbb-table': htbbTableCommand,
  },
} as const;

function size(flags: { quick: boolean; full: boolean }): Size {
  if (flags.quick && flags.full) throw new ArgumentError('--quick and --full exclude each other');
  return flags.quick ? 'quick' : flags.full ? 'full' : 'default';
}

function parseDevices(list: string): HybridDeviceKind[] {
  const names = list.split(',').map((s) => s.trim().toLowerCase());
  for (const n of names)
    if (!(HYBRID_DEVICES as readonly string[]).includes(n))
      throw new ArgumentError(
        `--devices: expected a comma-separated subset of ${HYBRID_DEVICES.join(',')}, got '${n}'`,
      );
  return names as HybridDeviceKind[];
}

async function runSuites(
  name: string,
  entries: SuiteEntry[],
  flags: {
    quick: boolean;
    full: boolean;
    out: string;
    seed: number;
    threads: number;
    json?: string | undefined;
  },
) {
  const s = size(flags);
  const loadStart = loadavg();
  const rows: BenchReport['rows'] = [];
  const known = entries.every((e) => e.expectedRows !== undefined);
  const total = entries.reduce((n, e) => n + (e.expectedRows?.(s) ?? 0), 0);
  const bar = progressBar({ label: `bench ${name}`, unit: 'rows', ...(known ? { total } : {}) });
  const baselines = new Set<string>();
  for (const suite of entries) {
    for (const b of suite.baselines) baselines.add(b);
    const suiteRows = await suite.run({
      seed: flags.seed,
      threads: flags.threads,
      quick: s === 'quick',
      full: s === 'full',
      onRow: (r) => bar.tick(1, { last: `${r.impl} ${r.case}` }),
      onStatus: (text) => bar.tick(0, { last: text }),
    });
    rows.push(...withRatios(suiteRows, suite.baselines));
  }
  bar.done();
  const report: BenchReport = {
    suite: name,
    baselines: [...baselines],
    seed: flags.seed,
    quick: flags.quick,
    full: flags.full,
    machine: {
      node: process.version,
      platform: process.platform,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAverage: { start: loadStart, end: loadavg() },
    },
    rows,
  };
  console.log(renderTable(rows));
  // the start's figure is the machine before the bench ran; the end's includes the bench itself
  const { loadAverage: load } = report.machine;
  console.log(
    `\nload average ${load.start[0]!.toFixed(2)} at the start (${load.end[0]!.toFixed(2)} at the end, this run included), ${report.machine.cpus} cores` +
      (load.start[0]! > 0.5 * report.machine.cpus
        ? ': other work was running, so the times carry its noise (the multi-threaded rows most)'
        : ''),
  );
  const files = writeBenchOutputs(flags.out, report);
  if (flags.json) writeReport(flags.json, report);
  console.log(`\nwrote ${[...files, ...(flags.json ? [flags.json] : [])].join(', ')}`);
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseArgs(argv, app);
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    return;
  }
  // output paths are checked before any work: a long run never ends by losing its results
  checkOutputs(parsed.flags);
  if (parsed.command === 'htbb') {
    console.log(`\nwrote ${(await runHtbb(parsed.positionals, parsed.flags)).join(', ')}`);
    return;
  }
  if (parsed.command === 'htbb-table') {
    console.log(`\nwrote ${(await runHtbbTable(parsed.flags)).join(', ')}`);
    return;
  }
  const { command, flags } = parsed;
  const entries: SuiteEntry[] =
    command === 'all'
      ? [
          suites.matmul,
          suites.mlp,
          suites.linalg,
          {
            ...suites.hybrid,
            // an MZI round takes minutes with the PyTorch peers: only with --full
            run: (ctx) => hybridSuite(ctx, { devices: flags.full ? HYBRID_DEVICES : ['slm', 'mrr'] }),
          },
        ]
      : command === 'kernels'
        ? [suites.matmul, suites.mlp]
        : command === 'hybrid'
          ? [{ ...suites.hybrid, run: (ctx) => hybridSuite(ctx, { devices: parseDevices(flags.devices) }) }]
          : command === 'mtp-models'
            ? [
                {
                  baselines: ['autoregressive'],
                  run: (ctx) =>
                    mtpModelsSuite(ctx, {
                      models: (flags.models ?? '')
                        .split(',')
                        .map((m) => m.trim())
                        .filter((m) => m !== ''),
                      corpus: flags.corpus,
                      prompts: flags.prompts,
                      promptLen: flags.promptLen,
                      newTokens: flags.newTokens,
                      draftThresholds: flags.draftThresholds
                        .split(',')
                        .map((t) => (t.trim() === '' ? Number.NaN : Number(t))),
                    }),
                },
              ]
            : [suites[command]];
  await runSuites(command, entries, flags);
}

/** `tenzo-bench` and `tenzo-bench --full` run `all` (what `pnpm bench` calls). */
function withDefaultCommand(argv: string[]): string[] {
  const first = argv[0];
  const own = ['--help', '-h', '--version', '-V'];
  return first === undefined || (first.startsWith('-') && !own.includes(first)) ? ['all', ...argv] : argv;
}

main(withDefaultCommand(process.argv.slice(2))).catch(exitOnError('tenzo-bench'));
