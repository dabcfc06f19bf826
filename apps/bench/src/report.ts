import { join } from 'node:path';
import { barChartSvg, formatTable, markdownTable } from '@tenzo/cli';
import { writeReport, writeSvg } from '@tenzo/cli/node';
import { writeFileAtomic } from '@tenzo/core/node';
import { type BenchRow, withRatios } from './harness.js';

export interface BenchReport {
  suite: string;
  baselines: readonly string[];
  seed: number;
  quick: boolean;
  machine: { node: string; platform: string; cpus: number; cpuModel: string };
  rows: (BenchRow & { ratio: number | null; baseline: string | null })[];
}

const columns = [
  { key: 'case', header: 'case' },
  { key: 'impl', header: 'implementation' },
  { key: 'medianMs', header: 'median ms', number: { digits: 4 } },
  { key: 'ratio', header: 'ratio' },
  { key: 'samples', header: 'n' },
  { key: 'note', header: 'note' },
];

function ratioText(row: BenchReport['rows'][number]): string {
  if (row.ratio === null || row.baseline === null) return '';
  if (row.impl === row.baseline) return '1.00 (baseline)';
  return `${row.ratio.toFixed(2)}× vs ${row.baseline}`;
}

/** Rows with their ratios as a terminal table (time / baseline time: < 1 is faster). */
export function renderTable(rows: BenchReport['rows']): string {
  const view = rows.map((r) => ({ ...r, ratio: ratioText(r), note: r.note ?? '' }));
  return formatTable(view, columns);
}

/** Writes report.json, report.md and a bar chart of time per case into `dir`. */
export function writeBenchOutputs(dir: string, report: BenchReport): string[] {
  const md = [
    `# tenzo-bench ${report.suite}`,
    '',
    `Node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}; seed ${report.seed}. ` +
      `Ratio = median time / median time of the case's baseline (first measured of ${report.baselines.join(', ')}), < 1: faster.`,
    '',
    markdownTable(
      report.rows.map((r) => ({
        ...r,
        ratio: ratioText(r),
        note: r.note ?? '',
      })),
      columns,
    ),
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
