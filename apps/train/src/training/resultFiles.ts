import { readFileSync } from 'node:fs';
import { FormatError, parseJsonStrict } from '@tenzo/core';
import * as v from 'valibot';

// Schemas (valibot) of the results files the commands read back on --resume: what a file must hold
// before a run builds on it.

const finite = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const share = v.pipe(finite, v.minValue(0), v.maxValue(1));

/** One cell of a sweep's results.json (the MNIST and keyword sweeps). */
export const SweepResultSchema = v.looseObject({
  key: v.string(),
  group: v.string(),
  device: v.string(),
  rank: v.optional(count),
  samples: v.optional(count),
  mode: v.optional(v.string()),
  seed: count,
  testAccuracy: share,
  secondsPerEpoch: v.pipe(finite, v.minValue(0)),
  queriesPerStep: v.nullable(v.pipe(finite, v.minValue(0))),
  surrogateCosine: v.optional(v.nullable(v.pipe(finite, v.minValue(-1), v.maxValue(1)))),
});

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
  batchCaptured: v.optional(share),
  secondsPerStep: v.pipe(finite, v.minValue(0)),
  seconds: v.pipe(finite, v.minValue(0)),
});

/** Validates `value` against `schema`, or throws a FormatError naming `source` and the field. */
export function checkAgainst<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  source: string,
): v.InferOutput<S> {
  const r = v.safeParse(schema, value);
  if (r.success) return r.output;
  const first = r.issues[0];
  const at = first.path?.map((p) => String(p.key)).join('.') ?? '(top)';
  throw new FormatError(`${source}: field ${at}: ${first.message}`);
}

/** A JSON results file read strictly (no duplicate keys) and checked against `schema`. */
export function readResultsFile<S extends v.GenericSchema>(path: string, schema: S): v.InferOutput<S> {
  const raw = parseJsonStrict(readFileSync(path, 'utf8'), path);
  // plain objects again (the strict parser's have no prototype)
  return checkAgainst(schema, JSON.parse(JSON.stringify(raw)), path);
}
