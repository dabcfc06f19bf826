import { checkAgainst } from '../results/checkAgainst.js';
import { type GridCell, type GridOutcome, type GridResult, GridResultSchema } from './grid.js';
import { type RunSweepOptions, runSweep } from './runSweep.js';

/** `runSweep`'s options for a grid of `gridCells`: what a cell records and how it is checked are set. */
export type RunGridOptions = Omit<
  RunSweepOptions<GridCell, GridOutcome, GridResult>,
  'record' | 'checkResult'
>;

/**
 * Runs a grid of `gridCells` with `runSweep`: resumable in `<out>/results.json`, each cell in its
 * own folder; a cell's record is the cell without its command line plus its outcome, and the
 * records read back are checked against {@link GridResultSchema}.
 */
export function runGrid(opts: RunGridOptions): Promise<GridResult[]> {
  return runSweep<GridCell, GridOutcome, Omit<GridCell, 'argv'>>({
    ...opts,
    record: ({ argv: _argv, ...meta }) => meta,
    checkResult: (r) => void checkAgainst(GridResultSchema, r, 'result'),
  });
}
