import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArgumentError,
  checkArray,
  checkObject,
  checkString,
  describeValue,
  FormatError,
  IoError,
  parseJsonStrict,
} from '@tenzo/core';
import { writeJsonAtomic } from '@tenzo/core/node';
import * as v from 'valibot';
import { sameSettings } from '../checkpoint/sameSettings.js';

/** One run of a sweep: a unique key and whatever describes it in the results (device, rank, seed …). */
export interface SweepCell {
  /** unique within the sweep; also names the cell's own folder (slashes become underscores) */
  readonly key: string;
}

/** The results file of a sweep: its settings and one record per finished cell. */
export interface SweepFile<R> {
  readonly command?: string;
  readonly config?: Record<string, unknown>;
  readonly results: R[];
}

/**
 * Options of `runSweep`: the sweep's name, config and output folder, its cells and how one is run, which
 * cells to run, defaults, how results are recorded and checked, backfilling and a per-cell callback.
 */
export interface RunSweepOptions<C extends SweepCell, O extends object, M extends SweepCell = C> {
  /** names the sweep in results.json and in log lines */
  readonly name: string;
  /** the sweep's settings, recorded in results.json */
  readonly config: Record<string, unknown>;
  /** folder of results.json and the cells' own folders (`runs/<key>`) */
  readonly out: string;
  readonly cells: readonly C[];
  /**
   * Runs one cell with its own folder `runDir` — typically a `Trainer` with
   * `fileCheckpoint(join(runDir, 'checkpoint.safetensors'))` and `resume`, so a cell interrupted
   * mid-run continues from its last checkpoint instead of starting over.
   */
  readonly run: (cell: C, runDir: string) => Promise<O>;
  /**
   * keys of `config` that pick cells or outputs (which devices, seeds, --out …) rather than change
   * what a cell computes; every other key must match the results.json being resumed. Omitted: no
   * check.
   */
  readonly selection?: readonly string[];
  /** the settings' defaults, for keys an older results.json does not record */
  readonly defaults?: Record<string, unknown>;
  /** how a setting is named in errors, e.g. as its command-line flag (default: its key) */
  readonly settingName?: (key: string) => string;
  /** what of a cell goes into its result (default: all of it), e.g. without its command line */
  readonly record?: (cell: C) => M;
  /** checks a result read back from results.json (throw to reject it: the file is then a FormatError) */
  readonly checkResult?: (result: unknown, index: number) => void;
  /** amends results read back from an older results.json (fields recorded since) */
  readonly backfill?: (result: M & O, runDir: string) => void;
  /** called before each cell that runs (progress) */
  readonly onCell?: (cell: C, index: number, total: number) => void;
}

/** The folder of one cell's own run (its checkpoint, report, model). */
export function cellRunDir(out: string, key: string): string {
  if (checkString('cellRunDir: out', out) === '')
    throw new ArgumentError("cellRunDir: out: expected a folder, got ''");
  checkString('cellRunDir: key', key);
  const dir = key.replaceAll('/', '_');
  // '', '.' or '..' would put the cell's files in runs/ itself or above it
  if (dir === '' || dir === '.' || dir === '..' || dir.includes('\\'))
    throw new ArgumentError(
      `cellRunDir: key: expected a name for a folder under runs/, got ${JSON.stringify(key)}`,
    );
  return join(out, 'runs', dir);
}

const SweepFileSchema = v.object({
  command: v.optional(v.string()),
  config: v.optional(v.record(v.string(), v.unknown())),
  results: v.array(v.looseObject({ key: v.pipe(v.string(), v.minLength(1)) })),
});

/**
 * Reads a sweep's results.json (none yet: no results), strictly: valid JSON without duplicate
 * keys, a `results` list of records with unique string keys, each passing `checkResult` when given.
 */
export function readSweepFile<R>(
  path: string,
  checkResult?: (result: unknown, index: number) => void,
): SweepFile<R> {
  if (checkString('readSweepFile: path', path) === '')
    throw new ArgumentError("readSweepFile: path: expected a file path, got ''");
  if (checkResult !== undefined && typeof checkResult !== 'function')
    throw new ArgumentError(
      `readSweepFile: checkResult: expected a function (result, index) => void, got ${describeValue(checkResult)}`,
    );
  if (!existsSync(path)) return { results: [] };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new IoError(`readSweepFile: cannot read '${path}' (${(cause as Error).message})`, { cause });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new FormatError(`readSweepFile: ${path}: expected UTF-8 text`, { cause });
  }
  const raw = parseJsonStrict(text, `readSweepFile: ${path}`);
  const r = v.safeParse(SweepFileSchema, raw);
  if (!r.success) {
    const first = r.issues[0];
    const at = first.path?.map((p) => String(p.key)).join('.') ?? '(top)';
    throw new FormatError(`readSweepFile: ${path}: field ${at}: ${first.message}`);
  }
  const seen = new Set<string>();
  for (const [i, res] of r.output.results.entries()) {
    if (seen.has(res.key))
      throw new FormatError(`readSweepFile: ${path}: results[${i}].key '${res.key}' appears twice`);
    seen.add(res.key);
    if (checkResult !== undefined) {
      try {
        checkResult(res, i);
      } catch (cause) {
        throw new FormatError(
          `readSweepFile: ${path}: results[${i}] (${res.key}): ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
    }
  }
  // plain objects again (the strict parser's have no prototype)
  return JSON.parse(JSON.stringify(r.output)) as SweepFile<R>;
}

const shown = (v: unknown) => (v === undefined ? 'unset' : describeValue(v));

/**
 * Throws unless `config` computes every cell as `previous` did: the keys outside `selection` must
 * agree (a key an older results.json lacks agrees when the new value is its default), so a resumed
 * sweep never mixes runs made with different settings in one table.
 */
export function checkResumable(
  name: string,
  path: string,
  previous: Record<string, unknown>,
  config: Record<string, unknown>,
  selection: readonly string[],
  defaults: Record<string, unknown> = {},
  settingName: (key: string) => string = (key) => `${key}:`,
): void {
  checkObject('checkResumable: previous', previous);
  checkObject('checkResumable: config', config);
  checkArray('checkResumable: selection', selection);
  const skip = new Set(selection);
  const differing: string[] = [];
  for (const key of new Set([...Object.keys(previous), ...Object.keys(config)])) {
    if (skip.has(key)) continue;
    const before = key in previous ? previous[key] : defaults[key];
    const now = config[key];
    if (!sameSettings(before, now))
      differing.push(`${settingName(key)} ${shown(before)} there, ${shown(now)} now`);
  }
  if (differing.length > 0)
    throw new ArgumentError(
      `${name}: ${path} holds runs made with other settings (${differing.join('; ')}); use the same settings to resume, or another --out`,
    );
}

/**
 * A resumable sweep over training runs: runs the cells not yet in `<out>/results.json` in order,
 * rewriting it atomically after each, so an interrupted sweep continues where it stopped — and,
 * with runs that checkpoint in their `runDir`, inside the cell it stopped in. Returns the results
 * of `cells` (old and new) in the order they were recorded; results.json keeps every run, also of
 * cells not asked for this time.
 */
export async function runSweep<C extends SweepCell, O extends object, M extends SweepCell = C>(
  opts: RunSweepOptions<C, O, M>,
): Promise<(M & O)[]> {
  checkObject('runSweep: options', opts);
  checkString('runSweep: name', opts.name);
  checkString('runSweep: out', opts.out);
  checkObject('runSweep: config', opts.config);
  if (typeof opts.run !== 'function')
    throw new ArgumentError(
      `runSweep: run expected a function (cell, runDir) => outcome, got ${describeValue(opts.run)}`,
    );
  checkArray('runSweep: cells', opts.cells as readonly C[]);
  const keys = new Set<string>();
  for (const c of opts.cells) {
    if (typeof c?.key !== 'string' || c.key === '')
      throw new ArgumentError(`runSweep: every cell needs a non-empty string key, got ${JSON.stringify(c)}`);
    if (keys.has(c.key)) throw new ArgumentError(`runSweep: cell key '${c.key}' appears twice`);
    keys.add(c.key);
  }
  const resultsPath = join(opts.out, 'results.json');
  const previous = readSweepFile<M & O>(resultsPath, opts.checkResult);
  if (opts.selection && previous.results.length > 0 && previous.config === undefined)
    throw new FormatError(
      `${opts.name}: ${resultsPath} holds results but no "config" to check this run's settings against; use another --out`,
    );
  if (opts.selection && previous.config)
    checkResumable(
      opts.name,
      resultsPath,
      previous.config,
      opts.config,
      opts.selection,
      opts.defaults,
      opts.settingName,
    );
  const results = previous.results;
  if (opts.backfill) for (const r of results) opts.backfill(r, cellRunDir(opts.out, r.key));
  const done = new Set(results.map((r) => r.key));
  for (const [i, cell] of opts.cells.entries()) {
    if (done.has(cell.key)) continue;
    opts.onCell?.(cell, i, opts.cells.length);
    const outcome = await opts.run(cell, cellRunDir(opts.out, cell.key));
    const meta = opts.record ? opts.record(cell) : (cell as unknown as M);
    results.push({ ...meta, ...outcome });
    writeJsonAtomic(resultsPath, { command: opts.name, config: opts.config, results });
  }
  return results.filter((r) => keys.has(r.key));
}
