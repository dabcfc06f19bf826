import { cpus } from 'node:os';
import { defineCommand, parseArgs } from '@tenzo/cli';
import { progressBar, writeReport } from '@tenzo/cli/node';
import { TenzoError } from '@tenzo/core';
import type { BenchRow, SuiteContext } from './harness.js';
import { htbbCommand, runHtbb } from './htbbCommand.js';
import { type BenchReport, renderTable, withRatios, writeBenchOutputs } from './report.js';
import { devicesSuite } from './suites/devices.js';
import { hybridSuite } from './suites/hybrid.js';
import { linalgSuite } from './suites/linalg.js';
import { matmulSuite } from './suites/matmul.js';
import { mlpSuite } from './suites/mlp.js';
import { mtpSuite } from './suites/mtp.js';
import { zoSuite } from './suites/zo.js';

interface SuiteEntry {
  run: (ctx: SuiteContext) => Promise<BenchRow[]>;
  /** baselines in order of preference (see withRatios) */
  baselines: readonly string[];
  /** rows the suite produces, when known up front (for the progress bar's ETA) */
  expectedRows?: (quick: boolean) => number;
}

const suites: Record<string, SuiteEntry> = {
  matmul: {
    run: matmulSuite,
    baselines: ['tfjs-wasm', 'ml-matrix'],
    // (sizes + bmm) × (6 float32 + 4 float64 implementations)
    expectedRows: (q) => ((q ? 1 : 4) + 1) * 10,
  },
  mlp: { run: mlpSuite, baselines: ['tfjs-wasm'], expectedRows: () => 10 },
  linalg: { run: linalgSuite, baselines: ['ml-matrix'] },
  zo: { run: zoSuite, baselines: [] },
  mtp: { run: mtpSuite, baselines: ['autoregressive', 'unbalanced'] },
  devices: { run: devicesSuite, baselines: [] },
  hybrid: { run: hybridSuite, baselines: ['pytorch'] },
};

const sharedFlags = {
  quick: { type: 'boolean', help: 'small sizes and few samples (smoke test)' },
  out: { type: 'string', default: 'runs/bench', meta: 'dir', help: 'folder for <suite>.json/.md/.svg' },
} as const;

const app = {
  name: 'tenzo-bench',
  description:
    'Side-by-side benchmarks of tenzo against its peers, measured in one process (medians after warm-up).',
  commands: {
    kernels: defineCommand({
      description:
        'matmul/bmm (f32/f64), an MLP training step and softmax cross-entropy on every tenzo backend vs tfjs-cpu, tfjs-wasm, ml-matrix, plain JS',
      flags: sharedFlags,
    }),
    matmul: defineCommand({
      description:
        'square matmul 128…1024 and bmm, f32/f64, tenzo reference/fast/gpu vs tfjs-cpu, tfjs-wasm, ml-matrix, plain JS',
      flags: sharedFlags,
    }),
    mlp: defineCommand({
      description:
        'one 784-128-10 MLP training step (batch 64) and softmax cross-entropy fwd+bwd vs tfjs-cpu and tfjs-wasm',
      flags: sharedFlags,
    }),
    linalg: defineCommand({
      description: 'float64 QR and SVD (tall-skinny and square) vs ml-matrix',
      flags: sharedFlags,
    }),
    zo: defineCommand({
      description: 'zeroth-order estimators on a 64×64 MZI mesh: cosine to the exact gradient and queries',
      flags: sharedFlags,
    }),
    mtp: defineCommand({
      description:
        'CP multi-token heads: self-speculative vs autoregressive decoding (ms/token, tokens/forward, acceptance), n 2-4, r 1-8, code and text',
      flags: sharedFlags,
    }),
    hybrid: defineCommand({
      description:
        "one hybrid training step's device side (SLM, MRR, MZI 256×256, batch 64, r = 10, M = 100) vs a PyTorch re-implementation when python3 has torch",
      flags: sharedFlags,
    }),
    devices: defineCommand({
      description: 'device simulators: queries per second at 64×64 and 256×256, batch 256',
      flags: sharedFlags,
    }),
    htbb: htbbCommand,
  },
} as const;

async function runSuites(
  name: string,
  keys: string[],
  flags: { quick: boolean; out: string; seed: number; json?: string | undefined },
) {
  const rows: BenchReport['rows'] = [];
  const known = keys.every((k) => suites[k]!.expectedRows !== undefined);
  const total = keys.reduce((s, k) => s + (suites[k]!.expectedRows?.(flags.quick) ?? 0), 0);
  const bar = progressBar({ label: `bench ${name}`, unit: 'rows', ...(known ? { total } : {}) });
  const baselines = new Set<string>();
  for (const key of keys) {
    const suite = suites[key]!;
    for (const b of suite.baselines) baselines.add(b);
    const suiteRows = await suite.run({
      seed: flags.seed,
      quick: flags.quick,
      onRow: (r) => bar.tick(1, { last: `${r.impl} ${r.case}` }),
    });
    rows.push(...withRatios(suiteRows, suite.baselines));
  }
  bar.done();
  const report: BenchReport = {
    suite: name,
    baselines: [...baselines],
    seed: flags.seed,
    quick: flags.quick,
    machine: {
      node: process.version,
      platform: process.platform,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
    },
    rows,
  };
  console.log(renderTable(rows));
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
  if (parsed.command === 'htbb') {
    console.log(`\nwrote ${(await runHtbb(parsed.positionals, parsed.flags)).join(', ')}`);
    return;
  }
  const keys = parsed.command === 'kernels' ? ['matmul', 'mlp'] : [parsed.command];
  await runSuites(parsed.command, keys, parsed.flags);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof TenzoError) {
    console.error(`tenzo-bench: ${err.message}`);
    process.exit(2);
  }
  throw err;
});
