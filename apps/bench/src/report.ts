import { join } from 'node:path';
import { barChartSvg, formatNumber, formatTable, markdownTable } from '@tenzo/cli';
import { writeReport, writeSvg } from '@tenzo/cli/node';
import { writeFileAtomic } from '@tenzo/core/node';
import { type RatedRow, withRatios } from './harness.js';

export interface BenchReport {
  suite: string;
  baselines: readonly string[];
  seed: number;
  quick: boolean;
  /** --full: the long grids */
  full: boolean;
  machine: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    /** 1-, 5- and 15-minute load averages at the start and the end of the run: other work on the machine */
    loadAverage: { start: number[]; end: number[] };
  };
  rows: RatedRow[];
}

const columns = [
  { key: 'case', header: 'case' },
  { key: 'impl', header: 'implementation' },
  { key: 'medianMs', header: 'median ms', number: { digits: 4 } },
  { key: 'spread', header: 'p25–p75 ms' },
  { key: 'ratio', header: 'ratio (p25–p75)' },
  { key: 'samples', header: 'n' },
  { key: 'note', header: 'note' },
];

/** ratio to the baseline, with the quartiles of the per-round ratios when measured interleaved */
function ratioText(row: RatedRow): string {
  if (row.ratio === null || row.baseline === null) return '';
  if (row.impl === row.baseline) return '1.00 (baseline)';
  const spread =
    row.ratioP25 === undefined || row.ratioP75 === undefined
      ? ''
      : ` (${row.ratioP25.toFixed(2)}–${row.ratioP75.toFixed(2)})`;
  return `${row.ratio.toFixed(2)}×${spread} vs ${row.baseline}`;
}

/** the quartiles of the times of an interleaved row */
function spreadText(row: RatedRow): string {
  return row.p25Ms === undefined || row.p75Ms === undefined
    ? ''
    : `${formatNumber(row.p25Ms)}–${formatNumber(row.p75Ms)}`;
}

const view = (rows: readonly RatedRow[]) =>
  rows.map((r) => ({ ...r, spread: spreadText(r), ratio: ratioText(r), note: r.note ?? '' }));

/** Rows with their ratios as a terminal table (time / baseline time: < 1 is faster). */
export function renderTable(rows: BenchReport['rows']): string {
  return formatTable(view(rows), columns);
}

/** Writes report.json, report.md and a bar chart of time per case into `dir`. */
export function writeBenchOutputs(dir: string, report: BenchReport): string[] {
  const md = [
    `# tenzo-bench ${report.suite}`,
    '',
    `Node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}; seed ${report.seed}; ` +
      `load average ${report.machine.loadAverage.start[0]!.toFixed(2)} at the start, ${report.machine.loadAverage.end[0]!.toFixed(2)} at the end (this run included). ` +
      `Ratio = time / time of the case's baseline (first measured of ${report.baselines.join(', ')}), < 1: faster. ` +
      'Implementations of a case are timed in interleaved rounds; their ratio is the median of the per-round ' +
      'ratios, with its quartiles in parentheses, and p25–p75 ms are the quartiles of the times.',
    '',
    markdownTable(view(report.rows), columns),
    '',
  ].join('\n');
  const cases = [...new Set(report.rows.map((r) => r.case))];
  const impls = [...new Set(report.rows.map((r) => r.impl))];
  const svg = barChartSvg({
    title: `tenzo-bench ${report.suite}: median time (ms, lower is better)`,
    yLabel: 'ms',
    categories: cases,
    series: impls.map((impl) => ({
      name: impl,
      values: cases.map(
        (c) => report.rows.find((r) => r.case === c && r.impl === impl)?.medianMs ?? Number.NaN,
      ),
    })),
  });
  const files = [
    join(dir, `${report.suite}.json`),
    join(dir, `${report.suite}.md`),
    join(dir, `${report.suite}.svg`),
  ];
  writeReport(files[0]!, report);
  writeFileAtomic(files[1]!, md);
  writeSvg(files[2]!, svg);
  return files;
}

export { withRatios };
