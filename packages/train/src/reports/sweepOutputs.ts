import { join } from 'node:path';
import { linePlotSvg, markdownTable } from '@tenzo/cli';
import { writeReport, writeSvg } from '@tenzo/cli/node';
import { checkArray, checkObject, checkString } from '@tenzo/core';
import { writeFileAtomic } from '@tenzo/core/node';
import { type GridResult, type GridSummaryRow, rankCurves, summarizeGrid } from '../sweep/grid.js';

/** What {@link writeSweepOutputs} writes. */
export interface SweepOutputOptions {
  /** the command's name, in the JSON report */
  command: string;
  /** the sweep's settings, in the JSON report */
  config: object;
  /** the sweep's folder */
  out: string;
  /** every cell's result (runGrid's records) */
  results: GridResult[];
  /** one plot per device */
  devices: string[];
  ranks: readonly number[];
  samples: readonly number[];
  /** the plot's title for one device */
  title: (device: string) => string;
  /** add the surrogate-cosine column to the table */
  cosine: boolean;
  /** baseline groups drawn as dashed horizontal lines across the rank axis (e.g. digital) */
  references: readonly string[];
  /** also write the summary and every result here */
  json?: string | undefined;
}

/**
 * A grid's summary (`summarizeGrid`) as a markdown table: one row per group, device, rank and
 * samples with its seeds, mean test accuracy (percent), seconds per epoch, queries per step, and
 * with `cosine` the mean surrogate cosine.
 */
export function sweepTable(rows: readonly GridSummaryRow[], cosine: boolean): string {
  checkArray('sweepTable: rows', rows);
  return markdownTable(
    rows.map((r) => ({ ...r, testAccuracy: `${(100 * r.testAccuracy).toFixed(2)}%` })),
    [
      'group',
      'device',
      'rank',
      'samples',
      'seeds',
      'testAccuracy',
      { key: 'secondsPerEpoch', number: { fixed: 1 } },
      'queriesPerStep',
      ...(cosine ? [{ key: 'surrogateCosine' as const, number: { fixed: 2 } }] : []),
    ],
  );
}

/**
 * A sweep's outputs: prints {@link sweepTable} and writes it to `<out>/table.md`, writes
 * `<out>/accuracy-vs-rank-<device>.svg` per device (test accuracy vs rank r on a log axis, one
 * curve per samples value, `references` dashed) and, with `json`, the report
 * `{ command, config, summary, results }`. Returns the summary.
 */
export function writeSweepOutputs(opts: SweepOutputOptions): GridSummaryRow[] {
  checkObject('writeSweepOutputs: options', opts);
  checkString('writeSweepOutputs: out', opts.out);
  checkArray('writeSweepOutputs: devices', opts.devices);
  const rows = summarizeGrid(opts.results);
  const table = sweepTable(rows, opts.cosine);
  console.log(table);
  writeFileAtomic(join(opts.out, 'table.md'), `${table}\n`);
  for (const device of opts.devices) {
    const series = rankCurves(rows, {
      device,
      samples: opts.samples,
      ranks: opts.ranks,
      references: opts.references,
    });
    writeSvg(
      join(opts.out, `accuracy-vs-rank-${device}.svg`),
      linePlotSvg({
        title: opts.title(device),
        xLabel: 'rank r',
        yLabel: 'test accuracy',
        logX: true,
        series,
      }),
    );
  }
  if (opts.json)
    writeReport(opts.json, {
      command: opts.command,
      config: opts.config,
      summary: rows,
      results: opts.results,
    });
  return rows;
}
