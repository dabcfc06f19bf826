import { GPT_FFN_VARIANTS } from '@tenzo/hybrid';
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

/** One variant of lm-hybrid's results.json (and report): {@link VariantResult}. */
export const LmVariantSchema = v.object({
  variant: v.picklist(GPT_FFN_VARIANTS),
  /** what fills the replaced blocks' feed-forward slot */
  ffn: v.string(),
  replacedBlocks: v.array(count),
  /** trainable digital parameters */
  parameters: count,
  /** device parameters ω (all replaced blocks), 0 for digital variants */
  deviceParameters: count,
  /** validation loss (nats/char) at step 0, every evalEvery steps, and at the end */
  curve: v.array(v.object({ step: count, valLoss: finite, trainLoss: v.nullable(finite) })),
  valLoss: finite,
  /** mean training loss over the last evalEvery steps */
  trainLoss: finite,
  /** device queries during training (all replaced blocks), by purpose, and per step */
  queries: Queries,
  /** mean cosine(surrogate x̄, Aᵀȳ) over training, first replaced block */
  surrogateCosine: v.nullable(v.pipe(finite, v.minValue(-1), v.maxValue(1))),
  /** with --batch-rank: mean share of ‖Ȳᵀ X‖² the ZO probes carried (all devices) */
  batchCaptured: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(1))),
  secondsPerStep: v.pipe(finite, v.minValue(0)),
  seconds: v.pipe(finite, v.minValue(0)),
});

/** One variant's record in lm-hybrid's results.json and report. */
export type VariantResult = v.InferOutput<typeof LmVariantSchema>;
