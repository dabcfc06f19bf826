import { anyNumber, anyNumbers, anySize, apiCase, describePublicApi, junk } from '@tenzo/core/testing';
import fc from 'fast-check';
import * as C from './index.js';
import * as CNode from './node.js';

const app = {
  name: 'app',
  description: 'An app.',
  commands: {
    run: C.defineCommand({
      description: 'Run.',
      flags: {
        epochs: { type: 'integer', default: 10, min: 1, max: 1000, help: 'passes' },
        lr: { type: 'number', gt: 0, default: 0.001, help: 'learning rate' },
        optimizer: { type: 'enum', choices: ['sgd', 'adam'], default: 'adam', help: 'optimizer' },
        ranks: { type: 'range', min: 1, max: 64, help: 'ranks' },
        verbose: { type: 'boolean', help: 'print' },
      },
    }),
  },
} as const;
const token = fc.oneof(
  fc.constantFrom(
    'run',
    '--epochs',
    '5',
    '0',
    '-1',
    '1e400',
    'NaN',
    '--lr',
    '--optimizer',
    'rmsprop',
    '--ranks',
    '1-4',
    '4-1',
    '--verbose',
    '--',
    '-h',
    'help',
    '--nope',
    '',
  ),
  fc.string(),
);
const isString = (r: unknown) => typeof r === 'string';
const rows = fc.oneof(
  junk,
  fc.constant([
    { a: 1, b: 'x' },
    { a: Number.NaN, b: null },
  ]),
  fc.array(fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(anyNumber, fc.string())), { maxLength: 3 }),
);
const series = fc.oneof(
  junk,
  fc.array(fc.record({ name: fc.string(), x: anyNumbers, y: anyNumbers }), { maxLength: 2 }),
);

describePublicApi(
  '@tenzo/cli',
  [
    apiCase({
      name: 'parseArgs',
      args: fc.tuple(fc.oneof(junk, fc.array(token, { maxLength: 6 }))),
      call: (argv) => C.parseArgs(argv as string[], app),
      ok: () => true,
      runs: 200,
    }),
    apiCase({
      name: 'parseCommand',
      args: fc.tuple(fc.oneof(junk, fc.array(token, { maxLength: 6 }))),
      call: (argv) => C.parseCommand(argv as string[], app, 'run', app.commands.run),
      ok: () => true,
      runs: 100,
    }),
    apiCase({
      name: 'defineCommand',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            description: fc.string(),
            flags: fc.oneof(junk, fc.constant({ n: { type: 'integer', min: 5, max: 1, help: 'h' } })),
          }),
        ),
      ),
      call: (c) => C.defineCommand(c as never),
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'formatCommandHelp',
      args: fc.tuple(fc.oneof(junk, fc.constant(app.commands.run))),
      call: (c) => C.formatCommandHelp(app, 'run', c as never),
      ok: isString,
      runs: 30,
    }),
    apiCase({
      name: 'formatAppHelp',
      args: fc.tuple(fc.oneof(junk, fc.constant(app))),
      call: (a) => C.formatAppHelp(a as never),
      ok: isString,
      runs: 30,
    }),
    apiCase({
      name: 'kebabCase',
      args: fc.tuple(fc.oneof(junk, fc.string())),
      call: (s) => C.kebabCase(s as string),
      ok: isString,
      runs: 40,
    }),
    apiCase({
      name: 'formatNumber',
      args: fc.tuple(
        anyNumber,
        fc.oneof(fc.constant(undefined), junk, fc.record({ digits: anySize }), fc.record({ fixed: anySize })),
      ),
      call: (v, f) => C.formatNumber(v as number, f as C.NumberFormat),
      ok: isString,
      runs: 80,
    }),
    apiCase({
      name: 'formatDuration',
      args: fc.tuple(anyNumber),
      call: (v) => C.formatDuration(v as number),
      ok: isString,
      runs: 40,
    }),
    apiCase({
      name: 'formatRate',
      args: fc.tuple(anyNumber),
      call: (v) => C.formatRate(v as number),
      ok: isString,
      runs: 40,
    }),
    apiCase({
      name: 'niceStep',
      args: fc.tuple(anyNumber, anySize),
      call: (s, c) => C.niceStep(s as number, c as number),
      runs: 50,
    }),
    apiCase({
      name: 'linearAxis',
      args: fc.tuple(anyNumber, anyNumber, fc.oneof(fc.constant(5), anySize)),
      call: (a, b, c) => C.linearAxis(a as number, b as number, c as number),
      runs: 80,
    }),
    apiCase({
      name: 'logAxis',
      args: fc.tuple(anyNumber, anyNumber),
      call: (a, b) => C.logAxis(a as number, b as number),
      runs: 60,
    }),
    apiCase({
      name: 'escapeXml',
      args: fc.tuple(fc.oneof(junk, fc.string())),
      call: (s) => C.escapeXml(s as string),
      ok: isString,
      runs: 30,
    }),
    apiCase({
      name: 'linePlotSvg',
      args: fc.tuple(series, fc.boolean()),
      call: (s, log) =>
        C.linePlotSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: s as C.LineSeries[], logY: log }),
      ok: isString,
      runs: 60,
    }),
    apiCase({
      name: 'barChartSvg',
      args: fc.tuple(
        fc.oneof(junk, fc.constant(['a', 'b'])),
        fc.oneof(junk, fc.array(fc.record({ name: fc.string(), values: anyNumbers }), { maxLength: 2 })),
      ),
      call: (c, s) =>
        C.barChartSvg({ title: 't', yLabel: 'y', categories: c as string[], series: s as C.BarSeries[] }),
      ok: isString,
      runs: 60,
    }),
    apiCase({
      name: 'renderProgress',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({ label: fc.string(), current: anyNumber, total: anyNumber, elapsed: anyNumber }),
        ),
        fc.oneof(
          junk,
          fc.record({ mode: fc.constantFrom('tty', 'plain'), barWidth: anySize, columns: anySize }),
        ),
      ),
      call: (s, o) => C.renderProgress(s as C.ProgressSnapshot, o as C.RenderOptions),
      ok: isString,
      runs: 60,
    }),
    apiCase({
      name: 'ProgressBar',
      args: fc.tuple(
        fc.oneof(
          junk,
          fc.record({
            total: anyNumber,
            writer: fc.oneof(junk, fc.constant({ isTTY: false, columns: 80, write: () => undefined })),
          }),
        ),
      ),
      call: (o) => new C.ProgressBar(o as C.ProgressBarOptions).tick(1),
      ok: () => true,
      runs: 40,
    }),
    apiCase({
      name: 'toJsonValue',
      args: fc.tuple(fc.oneof(junk, fc.anything(), fc.constant(new Float64Array([1, Number.NaN])))),
      call: (v) => C.toJsonValue(v),
      ok: () => true,
      runs: 60,
    }),
    ...[C.formatTable, C.markdownTable].map((f) =>
      apiCase({ name: f.name, args: fc.tuple(rows), call: (r) => f(r as C.Row[]), ok: isString, runs: 40 }),
    ),
    apiCase({
      name: 'writeReport',
      args: fc.tuple(fc.oneof(junk, fc.constant(''))),
      call: (p) => CNode.writeReport(p as string, { a: 1 }),
      ok: () => true,
      runs: 20,
    }),
    apiCase({
      name: 'writeSvg',
      args: fc.tuple(fc.oneof(junk, fc.constant(''))),
      call: (p) => CNode.writeSvg(p as string, '<svg/>'),
      ok: () => true,
      runs: 20,
    }),
  ],
  { runs: 30 },
);
