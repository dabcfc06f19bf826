import { ArgumentError, OutOfRangeError } from '@tenzo/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineCommand } from './commonFlags.js';
import { parseArgs } from './parseArgs.js';

const app = {
  name: 'tenzo-train',
  description: 'Hybrid training on physical devices.',
  commands: {
    mnist: defineCommand({
      description: 'Train an MLP on MNIST.',
      flags: {
        epochs: { type: 'integer', default: 10, min: 1, max: 1000, short: 'e', help: 'passes over the data' },
        lr: { type: 'number', gt: 0, default: 0.001, help: 'learning rate' },
        optimizer: { type: 'enum', choices: ['sgd', 'adam'], default: 'adam', help: 'optimizer' },
        ranks: { type: 'range', min: 1, max: 64, help: 'ranks to sweep' },
        batchSize: { type: 'integer', default: 64, min: 1, help: 'mini-batch size' },
        augment: { type: 'boolean', default: true, help: 'random shifts and affine warps' },
        verbose: { type: 'boolean', help: 'print every step' },
        out: { type: 'string', meta: 'dir', help: 'run directory' },
      },
    }),
    bench: defineCommand({
      description: 'Benchmark.',
      flags: { suite: { type: 'string', required: true, help: 'suite name' } },
      positionals: { name: 'case', max: 2 },
    }),
  },
} as const;

function run(...argv: string[]) {
  const r = parseArgs(argv, app);
  if (r.kind !== 'run') throw new Error('expected a run');
  return r;
}

describe('parseArgs', () => {
  it('parses typed flags, aliases, --no-, = syntax and applies defaults', () => {
    const r = run(
      'mnist',
      '-e',
      '5',
      '--lr=3e-4',
      '--batch-size',
      '128',
      '--no-augment',
      '--ranks',
      '1..4,8',
    );
    expect(r.command).toBe('mnist');
    if (r.command !== 'mnist') return;
    expect(r.flags).toEqual({
      epochs: 5,
      lr: 3e-4,
      optimizer: 'adam',
      ranks: [1, 2, 3, 4, 8],
      batchSize: 128,
      augment: false,
      verbose: false,
      out: undefined,
      json: undefined,
      seed: 0,
    });
    expectTypeOf(r.flags.optimizer).toEqualTypeOf<'sgd' | 'adam'>();
    expectTypeOf(r.flags.epochs).toEqualTypeOf<number>();
    expectTypeOf(r.flags.out).toEqualTypeOf<string | undefined>();
    expectTypeOf(r.flags.ranks).toEqualTypeOf<number[] | undefined>();
  });

  it('gives every command --json and --seed', () => {
    const r = run('bench', '--suite', 'matmul', '--json', 'out/r.json', '--seed', '7', 'a', 'b');
    expect(r.flags).toMatchObject({ json: 'out/r.json', seed: 7, suite: 'matmul' });
    if (r.command === 'bench') expectTypeOf(r.flags.suite).toEqualTypeOf<string>(); // required: never undefined
    expect(r.positionals).toEqual(['a', 'b']);
  });

  it('expands stepped ranges', () => {
    const r = run('mnist', '--ranks', '2..10:4');
    expect(r.command === 'mnist' && r.flags.ranks).toEqual([2, 6, 10]);
  });

  it('names the flag, the expectation and the value in errors', () => {
    const cases: [string[], typeof ArgumentError | typeof OutOfRangeError, string][] = [
      [['mnist', '--epochs', 'ten'], ArgumentError, '--epochs: expected an integer, got "ten"'],
      [['mnist', '--epochs', '2.5'], ArgumentError, '--epochs: expected an integer, got "2.5"'],
      [['mnist', '--epochs', '0'], OutOfRangeError, '--epochs: expected an integer >= 1 and <= 1000, got 0'],
      [['mnist', '--lr', '0'], OutOfRangeError, '--lr: expected a finite number > 0, got 0'],
      [['mnist', '--lr', '0x10'], ArgumentError, '--lr: expected a finite number, got "0x10"'],
      [
        ['mnist', '--optimizer', 'rmsprop'],
        ArgumentError,
        `--optimizer: expected one of 'sgd', 'adam', got "rmsprop"`,
      ],
      [
        ['mnist', '--ranks', '1..100'],
        OutOfRangeError,
        '--ranks element: expected an integer >= 1 and <= 64, got 65',
      ],
      [
        ['mnist', '--ranks', '5..1'],
        ArgumentError,
        '--ranks: expected a..b:step with a <= b and step >= 1, got "5..1"',
      ],
      [
        ['mnist', '--epoch', '3'],
        ArgumentError,
        `--epoch: unknown option for 'mnist'; did you mean --epochs?`,
      ],
      [
        ['mnist', '--json', '--seed', '1'],
        ArgumentError,
        '--json: expected a non-empty file, got nothing (next argument is the option --seed)',
      ],
      [['mnist', '--seed'], ArgumentError, '--seed: expected an integer, got nothing'],
      [['mnist', '-e', '1', '--epochs', '2'], ArgumentError, '--epochs: given more than once'],
      [['mnist', 'extra'], ArgumentError, `'mnist' takes no positional arguments, got "extra"`],
      [['bench'], ArgumentError, '--suite: required; expected a non-empty string, got nothing'],
      [['bench', '--suite', 's', 'a', 'b', 'c'], OutOfRangeError, 'case: expected at most 2 value(s), got 3'],
      [
        ['mnsit'],
        ArgumentError,
        `command: expected one of 'mnist', 'bench', got "mnsit"; did you mean 'mnist'?`,
      ],
      [[], ArgumentError, 'command: expected one of'],
    ];
    for (const [argv, Err, message] of cases) {
      expect(() => parseArgs(argv, app), argv.join(' ')).toThrow(Err);
      expect(() => parseArgs(argv, app), argv.join(' ')).toThrow(message);
    }
  });

  it('returns help text for the app and for a command', () => {
    const top = parseArgs(['--help'], app);
    expect(top.kind).toBe('help');
    if (top.kind !== 'help') return;
    expect(top.text).toContain('Usage: tenzo-train <command> [options]');
    expect(top.text).toMatch(/mnist\s+Train an MLP on MNIST\./);
    const sub = parseArgs(['mnist', '--epochs', '3', '--help'], app);
    if (sub.kind !== 'help') throw new Error('expected help');
    expect(sub.text).toContain('Usage: tenzo-train mnist [options]');
    expect(sub.text).toMatch(/-e, --epochs <int>\s+passes over the data \(>= 1, <= 1000, default 10\)/);
    expect(sub.text).toMatch(/--optimizer <sgd\|adam>/);
    expect(sub.text).toMatch(/--json <file>\s+write the results as JSON/);
    expect(sub.text).toMatch(/--seed <int>\s+random seed \(>= 0, default 0\)/);
    expect(sub.text).toMatch(/--\[no-\]augment\s+random shifts and affine warps \(default true\)/);
    expect(sub.text).toMatch(/ {4}--verbose\s+print every step\n/);
    expect(parseArgs(['help', 'bench'], app)).toMatchObject({
      kind: 'help',
      text: expect.stringContaining('[case...]'),
    });
  });

  it('refuses specs that take over -h or --help', () => {
    const bad = {
      name: 'x',
      description: '',
      commands: { c: { description: '', flags: { host: { type: 'string', short: 'h', help: '' } } } },
    } as const;
    expect(() => parseArgs(['c'], bad)).toThrow('c.flags.host: --help and -h are reserved for help');
  });

  it('treats everything after -- and negative numbers as values', () => {
    const r = run('bench', '--suite', 's', '--', '--not-a-flag');
    expect(r.positionals).toEqual(['--not-a-flag']);
    const app2 = {
      name: 'x',
      description: '',
      commands: { c: { description: '', flags: { shift: { type: 'number', help: '' } } } },
    } as const;
    const r2 = parseArgs(['c', '--shift', '-1.5'], app2);
    expect(r2.kind === 'run' && r2.flags.shift).toBe(-1.5);
  });
});

describe('parseArgs: release fixes (issue #23)', () => {
  const cmd = defineCommand({
    description: 'x',
    flags: {
      baselines: { type: 'boolean', default: true, help: 'b' },
      width: { type: 'integer', default: 2, help: 'w' },
    },
  });
  const versioned = { name: 'tenzo-x', description: 'd', version: '1.2.3', commands: { run: cmd } } as const;
  it('--version and -V print the app name and version', () => {
    expect(parseArgs(['--version'], versioned)).toEqual({ kind: 'help', text: 'tenzo-x 1.2.3' });
    expect(parseArgs(['-V'], versioned)).toEqual({ kind: 'help', text: 'tenzo-x 1.2.3' });
  });
  it('an integer flag takes digits only (1e3 and 1.0 are slips, not 1000 and 1)', () => {
    expect(() => parseArgs(['run', '--seed', '1e3'], versioned)).toThrow(
      /--seed: expected an integer, got "1e3"/,
    );
    expect(() => parseArgs(['run', '--width', '1.0'], versioned)).toThrow(/--width: expected an integer/);
    expect(parseArgs(['run', '--width', '12'], versioned)).toMatchObject({ flags: { width: 12 } });
  });
  it('a misspelt negation is suggested as a negation', () => {
    expect(() => parseArgs(['run', '--no-baseline'], versioned)).toThrow(/did you mean --no-baselines\?/);
  });
});
