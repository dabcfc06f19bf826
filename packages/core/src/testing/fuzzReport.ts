import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ApiFuzz, FuzzCounts, PredicateCounts } from './apiFuzz.js';

/** One package entry's fuzz result as written to `.reports/fuzz/<entry>.json`. */
export interface FuzzReport {
  pkg: string;
  counts: FuzzCounts;
  predicates: PredicateCounts;
}

/** The workspace root (the nearest folder above the working directory with `pnpm-workspace.yaml`). */
function workspaceRoot(): string {
  let dir = resolve(process.cwd());
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(process.cwd());
    dir = up;
  }
}

/** `TENZO_FUZZ_REPORT_DIR`, else `<workspace root>/.reports/fuzz`. */
export function fuzzReportDir(): string {
  return process.env.TENZO_FUZZ_REPORT_DIR ?? join(workspaceRoot(), '.reports', 'fuzz');
}

/** `@tenzo/data/node` → `tenzo-data-node` */
function fileName(pkg: string): string {
  return pkg.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
}

/**
 * Writes the fuzz's counts to `<dir>/<entry>.json` and rebuilds `<dir>/TABLE.md` from every
 * report in the folder: the closing-note table of issue #22, one row per package entry.
 */
export function writeFuzzReport(fuzz: ApiFuzz, dir = fuzzReportDir()): string {
  mkdirSync(dir, { recursive: true });
  const report: FuzzReport = { pkg: fuzz.pkg, counts: fuzz.counts, predicates: fuzz.predicates };
  writeFileSync(join(dir, `${fileName(fuzz.pkg)}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const table = fuzzTable(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FuzzReport),
  );
  const path = join(dir, 'TABLE.md');
  writeFileSync(path, table);
  return path;
}

/** The markdown table of issue #22's closing note, with a total row. */
export function fuzzTable(reports: readonly FuzzReport[]): string {
  const head =
    '| package entry | bad inputs tried | typed error | correct result | raw error | silent wrong | hang | cases with a result predicate | correct results checked by one |\n' +
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n';
  const total: FuzzReport = {
    pkg: '**total**',
    counts: { tried: 0, typed: 0, correct: 0, raw: 0, silentWrong: 0, hang: 0 },
    predicates: { cases: 0, casesWithPredicate: 0, correctChecked: 0 },
  };
  const row = (r: FuzzReport): string => {
    const c = r.counts;
    const p = r.predicates;
    return `| ${r.pkg} | ${c.tried} | ${c.typed} | ${c.correct} | ${c.raw} | ${c.silentWrong} | ${c.hang} | ${p.casesWithPredicate} / ${p.cases} | ${p.correctChecked} / ${c.correct} |\n`;
  };
  for (const r of reports) {
    for (const k of Object.keys(total.counts) as (keyof FuzzCounts)[]) total.counts[k] += r.counts[k];
    for (const k of Object.keys(total.predicates) as (keyof PredicateCounts)[])
      total.predicates[k] += r.predicates[k];
  }
  return head + reports.map(row).join('') + row(total);
}
