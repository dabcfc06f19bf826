import * as v from 'valibot';

// The schema (valibot) of lm-hybrid's results.json, read back on --resume (@tenzo/train/node's
// readResultsFile): what a file must hold before a run builds on it. The sweeps' cells are
// @tenzo/train's GridResultSchema.

const finite = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const Queries = v.nullable(
  v.object({
    forward: count,
    surrogate: count,
    rebuild: count,
    zo: count,
    correction: count,
    perStep: v.pipe(finite, v.minValue(0)),
  }),
);

/** One variant of lm-hybrid's results.json. */
export const LmVariantSchema = v.object({
  variant: v.string(),
  ffn: v.string(),
  replacedBlocks: v.array(count),
  parameters: count,
  deviceParameters: count,
  curve: v.array(v.object({ step: count, valLoss: finite, trainLoss: v.nullable(finite) })),
  valLoss: finite,
  trainLoss: finite,
  queries: Queries,
  surrogateCosine: v.nullable(v.pipe(finite, v.minValue(-1), v.maxValue(1))),
  batchCaptured: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(1))),
  secondsPerStep: v.pipe(finite, v.minValue(0)),
  seconds: v.pipe(finite, v.minValue(0)),
});
