import { FormatError } from '@tenzo/core';
import * as v from 'valibot';

// The shape of a Trainer checkpoint (valibot), checked whole before any part of it is loaded; the
// parts (model, optimizers, generators, layers) check their own contents when they load.

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const finite = v.pipe(v.number(), v.finite());
const record = v.record(v.string(), v.unknown());
const counters = v.record(v.string(), v.number());

const EpochRecordSchema = v.object({
  epoch: v.pipe(count, v.minValue(1)),
  trainLoss: finite,
  trainAccuracy: v.nullable(v.pipe(finite, v.minValue(0), v.maxValue(1))),
  lr: v.record(v.string(), finite),
  seconds: v.pipe(finite, v.minValue(0)),
  metrics: v.record(v.string(), v.number()),
  deviceQueries: v.optional(counters),
  surrogateCosine: v.optional(v.number()),
  captured: v.optional(v.number()),
  skippedSteps: v.optional(count),
  deviceFaults: v.optional(counters),
});

const SnapshotSchema = v.object({
  format: v.string(),
  version: v.number(),
  config: record,
  position: v.strictObject({ epoch: count, stepInEpoch: count, globalStep: count, finished: v.boolean() }),
  orderAtEpochStart: record,
  sums: v.strictObject({
    lossSum: finite,
    correct: count,
    seen: count,
    scored: count,
    cosSum: finite,
    cosCount: count,
    capturedSum: finite,
    capturedCount: count,
    queriesAtStart: v.array(counters),
    secondsBefore: v.pipe(finite, v.minValue(0)),
    // since the fault policy (older checkpoints have neither: 0 and the counters at resume)
    skipped: v.optional(count),
    faultsAtStart: v.optional(v.array(counters)),
  }),
  history: v.array(EpochRecordSchema),
  model: record,
  optimizers: record,
  rngs: record,
  physical: v.array(v.unknown()),
  callbacks: v.array(v.unknown()),
});

export type SnapshotShape = v.InferOutput<typeof SnapshotSchema>;

/**
 * Checks a checkpoint's structure and its fields against each other and against the run: the
 * position within `epochs` and `stepsPerEpoch`, one history record per finished epoch numbered in
 * order, a stopped run at an epoch boundary. Throws `FormatError` naming the field.
 */
export function checkSnapshot(
  fn: string,
  state: unknown,
  run: { epochs: number; stepsPerEpoch: number; physical: number; callbacks: number },
): SnapshotShape {
  const r = v.safeParse(SnapshotSchema, state);
  if (!r.success) {
    const first = r.issues[0];
    const path = first.path?.map((p) => String(p.key)).join('.') ?? '';
    throw new FormatError(`${fn}: checkpoint field ${path === '' ? '(top)' : path}: ${first.message}`);
  }
  const s = r.output;
  const { epoch, stepInEpoch, globalStep, finished } = s.position;
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new FormatError(
      `${fn}: checkpoint field ${field}: expected ${expected}, got ${JSON.stringify(got)}`,
    );
  };
  if (epoch > run.epochs) bad('position.epoch', `at most the run's ${run.epochs} epochs`, epoch);
  if (stepInEpoch > run.stepsPerEpoch)
    bad('position.stepInEpoch', `at most ${run.stepsPerEpoch}`, stepInEpoch);
  if (stepInEpoch > 0 && epoch === run.epochs)
    bad('position.stepInEpoch', '0 after the last epoch', stepInEpoch);
  if (globalStep < stepInEpoch) bad('position.globalStep', `at least stepInEpoch ${stepInEpoch}`, globalStep);
  if (finished && stepInEpoch !== 0) bad('position.finished', 'only at an epoch boundary', finished);
  if (s.history.length !== epoch)
    bad('history', `${epoch} records (one per finished epoch)`, s.history.length);
  s.history.forEach((h, i) => {
    if (h.epoch !== i + 1) bad(`history.${i}.epoch`, String(i + 1), h.epoch);
  });
  if (s.sums.correct > s.sums.seen) bad('sums.correct', `at most sums.seen ${s.sums.seen}`, s.sums.correct);
  if (s.physical.length !== run.physical) bad('physical', `${run.physical} layer states`, s.physical.length);
  if (s.sums.queriesAtStart.length !== run.physical)
    bad('sums.queriesAtStart', `${run.physical} entries`, s.sums.queriesAtStart.length);
  if (s.callbacks.length !== run.callbacks) bad('callbacks', `${run.callbacks} entries`, s.callbacks.length);
  return s;
}
