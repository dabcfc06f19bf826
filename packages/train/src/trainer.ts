import {
  ArgumentError,
  checkInt,
  checkObject,
  describeValue,
  EvaluationError,
  FormatError,
  type Rng,
  StateError,
  type StateRecord,
  type StateValue,
} from '@tenzo/core';
import type { Module } from '@tenzo/nn';
import { sameSettings } from './checkpoint/sameSettings.js';
import { moduleState, optimizerState, recordField, rngState } from './state/adapters.js';
import { encodeState } from './state/codec.js';
import { checkSnapshot } from './state/snapshotSchema.js';
import type {
  EpochRecord,
  FitResult,
  ParamGradLayer,
  SizedBatch,
  StepInfo,
  TrainerOptions,
} from './types.js';

/** The checkpoint format written by {@link Trainer} (checked on resume). */
export const TRAINER_STATE_FORMAT = 'tenzo.trainer';
/**
 * The version of the {@link Trainer} checkpoint format; a checkpoint of another version is refused on
 * resume.
 */
export const TRAINER_STATE_VERSION = 1;

/** The running sums of the epoch in progress (checkpointed mid-epoch). */
interface EpochSums {
  lossSum: number;
  correct: number;
  seen: number;
  /** steps whose output had `correct` */
  scored: number;
  cosSum: number;
  cosCount: number;
  capturedSum: number;
  capturedCount: number;
  /** each physical layer's query counters at the epoch's start */
  queriesAtStart: Record<string, number>[];
  /** wall seconds of this epoch spent before the last resume */
  secondsBefore: number;
  /** steps skipped this epoch (device failures after retries) */
  skipped: number;
  /** each physical layer's fault counters at the epoch's start */
  faultsAtStart: Record<string, number>[];
}

/**
 * One training loop for tenzo models, digital or hybrid (see the package README):
 *
 *   per step:  lr from each schedule → zeroGrad → `step(batch)` (forward, loss) → backward →
 *              every unfrozen physical layer's `estimateParamGrad()` → every optimizer steps
 *   per epoch: `evaluate` in eval mode → an {@link EpochRecord} → callbacks → checkpoint
 *
 * Everything that changes while training goes through one `state()`/`load()` contract — the
 * model's parameters and buffers, optimizer moments and step counts, the data order (its
 * generator at the epoch's start plus the step within it), the other generators, each physical
 * layer (its random streams, surrogate and counters), stateful callbacks, the epoch's running
 * sums and the history — so a run killed at any step and resumed from its last checkpoint ends
 * bit-identical to the run that was never interrupted (timings aside).
 */
export class Trainer<B extends SizedBatch> {
  readonly options: TrainerOptions<B>;
  private history: EpochRecord[] = [];

  constructor(options: TrainerOptions<B>) {
    const fn = 'Trainer';
    checkObject(`${fn}: options`, options);
    if (typeof (options.model as Partial<Module> | undefined)?.stateDict !== 'function')
      throw new ArgumentError(`${fn}: model expected a Module, got ${describeValue(options.model)}`);
    checkObject(`${fn}: optimizers`, options.optimizers);
    if (typeof (options.order as Partial<Rng> | undefined)?.permutation !== 'function')
      throw new ArgumentError(
        `${fn}: order expected an Rng (the data-order generator), got ${describeValue(options.order)}`,
      );
    checkInt(`${fn}: epochs`, options.epochs, { positive: true });
    checkInt(`${fn}: stepsPerEpoch`, options.stepsPerEpoch, { positive: true });
    if (options.checkpointEvery !== undefined)
      checkInt(`${fn}: checkpointEvery`, options.checkpointEvery, { positive: true });
    if (options.stopAfterSteps !== undefined)
      checkInt(`${fn}: stopAfterSteps`, options.stopAfterSteps, { positive: true });
    if (options.stopAfterEpochs !== undefined)
      checkInt(`${fn}: stopAfterEpochs`, options.stopAfterEpochs, { positive: true });
    if (options.maxConsecutiveSkips !== undefined)
      checkInt(`${fn}: maxConsecutiveSkips`, options.maxConsecutiveSkips, { min: 0 });
    if (options.log !== undefined && typeof options.log !== 'function')
      throw new ArgumentError(`${fn}: log expected a function (line) => void, got ${typeof options.log}`);
    if (typeof options.step !== 'function')
      throw new ArgumentError(
        `${fn}: step expected a function (batch) => { loss }, got ${typeof options.step}`,
      );
    if (typeof options.batches !== 'function')
      throw new ArgumentError(
        `${fn}: batches expected a function (epoch, rng) => batches, got ${typeof options.batches}`,
      );
    for (const [name, o] of Object.entries(options.optimizers))
      if (typeof o?.step !== 'function' || typeof o.stateDict !== 'function')
        throw new ArgumentError(`${fn}: optimizers.${name} expected an Optimizer, got ${describeValue(o)}`);
    for (const name of Object.keys(options.schedules ?? {}))
      if (!(name in options.optimizers))
        throw new ArgumentError(
          `${fn}: schedules.${name} has no optimizer of that name (optimizers: ${Object.keys(options.optimizers).join(', ')})`,
        );
    if (options.checkpoint !== undefined)
      (options.physical ?? []).forEach((layer, i) => {
        if (typeof layer.state !== 'function' || typeof layer.load !== 'function')
          throw new ArgumentError(
            `${fn}: physical[${i}] has no state()/load(), so a checkpointed run could not resume it exactly`,
          );
      });
    this.options = options;
  }

  /** Trains to `epochs` (resuming from the checkpoint store when it holds a run). */
  async fit(): Promise<FitResult> {
    const o = this.options;
    const layers = o.physical ?? [];
    const callbacks = o.callbacks ?? [];
    let epoch = 0;
    let stepInEpoch = 0;
    let globalStep = 0;
    let orderAtEpochStart = rngState(o.order).state();
    let sums = freshSums(layers);
    let resumedAt: FitResult['resumedAt'] = null;
    this.history = [];

    if (o.checkpoint !== undefined && o.resume !== false) {
      const saved = await o.checkpoint.load();
      if (saved !== null) {
        const pos = this.restore(saved);
        if (pos.finished)
          return {
            history: [...this.history],
            resumedAt: { epoch: pos.epoch, stepInEpoch: 0 },
            stoppedEarly: true,
            interrupted: false,
          };
        ({ epoch, stepInEpoch, globalStep } = pos);
        orderAtEpochStart = pos.orderAtEpochStart;
        rngState(o.order).load(orderAtEpochStart);
        sums = pos.sums;
        resumedAt = { epoch, stepInEpoch };
        for (const cb of callbacks) cb.onResume?.({ epoch, stepInEpoch });
      }
    }

    let stepsThisCall = 0;
    let epochsThisCall = 0;
    let skipsInARow = 0;
    const log = o.log ?? ((line: string) => console.warn(line));
    let stoppedEarly = false;
    for (; epoch < o.epochs; epoch++) {
      // a resumed epoch redraws its order from the saved start (restored above) and skips the
      // batches already done
      if (stepInEpoch === 0) {
        orderAtEpochStart = rngState(o.order).state();
        sums = freshSums(layers);
      }
      for (const cb of callbacks)
        cb.onEpochStart?.({ epoch, epochs: o.epochs, stepInEpoch, stepsPerEpoch: o.stepsPerEpoch });
      o.model.train();
      const it = o.batches(epoch, o.order)[Symbol.iterator]();
      for (let k = 0; k < stepInEpoch; k++)
        if (it.next().done)
          throw new FormatError(
            `Trainer.fit: the checkpoint is at step ${stepInEpoch} of epoch ${epoch + 1}, but the epoch has only ${k} batches`,
          );
      const t0 = performance.now();
      for (let r = it.next(); !r.done; r = it.next()) {
        const batch = r.value;
        const loss = await this.trainStep(batch, layers, sums, globalStep);
        stepInEpoch++;
        globalStep++;
        for (const layer of layers)
          for (const w of layer.takeWarnings?.() ?? []) log(`step ${globalStep}: ${w}`);
        if (loss instanceof EvaluationError) {
          sums.skipped++;
          skipsInARow++;
          const why = firstLine(loss.message);
          const max = o.maxConsecutiveSkips ?? 3;
          if (skipsInARow > max)
            throw new EvaluationError(
              `Trainer.fit: the device failed ${skipsInARow} steps in a row (more than maxConsecutiveSkips ${max}; last at epoch ${epoch + 1}, step ${stepInEpoch}: ${why}); stopped, the last checkpoint is intact`,
              { cause: loss },
            );
          log(`step ${globalStep}: skipped, the device failed after its retries (${why})`);
        } else skipsInARow = 0;
        const info: StepInfo = {
          epoch,
          stepInEpoch,
          globalStep,
          stepsPerEpoch: o.stepsPerEpoch,
          epochs: o.epochs,
          loss: typeof loss === 'number' ? loss : Number.NaN,
          runningLoss: sums.lossSum / sums.seen,
          runningAccuracy: sums.scored > 0 ? sums.correct / sums.seen : null,
        };
        if (typeof loss === 'number') for (const cb of callbacks) await cb.onStep?.(info);
        if (
          o.checkpoint !== undefined &&
          o.checkpointEvery !== undefined &&
          globalStep % o.checkpointEvery === 0
        ) {
          const secondsBefore = sums.secondsBefore;
          sums.secondsBefore += (performance.now() - t0) / 1000;
          await o.checkpoint.save(this.snapshot(epoch, stepInEpoch, globalStep, orderAtEpochStart, sums));
          sums.secondsBefore = secondsBefore;
        }
        stepsThisCall++;
        if (o.stopAfterSteps !== undefined && stepsThisCall >= o.stopAfterSteps)
          return { history: [...this.history], resumedAt, stoppedEarly: false, interrupted: true };
      }
      const afterSteps = layers.map((l) => ({ ...((l.queries ?? {}) as Record<string, number>) }));
      let metrics: Record<string, number> = {};
      if (o.evaluate !== undefined) {
        o.model.eval();
        metrics = await o.evaluate(epoch);
        o.model.train();
      }
      const counted = o.countEvaluationQueries === false ? afterSteps : null;
      const seconds = sums.secondsBefore + (performance.now() - t0) / 1000;
      const record = this.record(epoch, sums, metrics, layers, counted, seconds);
      this.history.push(record);
      for (const cb of callbacks) if (cb.onEpochEnd?.(record, this.history) === 'stop') stoppedEarly = true;
      stepInEpoch = 0;
      if (o.checkpoint !== undefined)
        await o.checkpoint.save(
          this.snapshot(epoch + 1, 0, globalStep, rngState(o.order).state(), freshSums(layers), stoppedEarly),
        );
      if (stoppedEarly) break;
      epochsThisCall++;
      if (o.stopAfterEpochs !== undefined && epochsThisCall >= o.stopAfterEpochs && epoch + 1 < o.epochs)
        return { history: [...this.history], resumedAt, stoppedEarly: false, interrupted: true };
    }
    return { history: [...this.history], resumedAt, stoppedEarly, interrupted: false };
  }

  /**
   * One optimisation step; returns the batch's loss, or the device's error when the step was
   * skipped (gradients discarded, no optimizer stepped).
   */
  private async trainStep(
    batch: B,
    layers: readonly ParamGradLayer[],
    sums: EpochSums,
    globalStep: number,
  ): Promise<number | EvaluationError> {
    const o = this.options;
    for (const [name, opt] of Object.entries(o.optimizers)) {
      const schedule = o.schedules?.[name];
      if (schedule !== undefined) opt.lr = schedule(opt.stepCount);
      opt.zeroGrad();
    }
    let out: Awaited<ReturnType<typeof o.step>>;
    const captured: number[] = [];
    try {
      out = await o.step(batch);
      out.loss.backward();
      o.afterBackward?.();
      // the layers' parameter gradients cost further device queries, after the ordinary backward
      for (const layer of layers) {
        if (layer.frozen) continue;
        captured.push((await layer.estimateParamGrad()).captured);
      }
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      const reason = (err as { reason?: unknown }).reason;
      if (reason === 'refused' || reason === 'aborted' || (o.maxConsecutiveSkips ?? 3) === 0)
        throw new EvaluationError(
          `Trainer.fit: step ${globalStep + 1}: the device failed (${firstLine(err.message)}); stopped, the last checkpoint is intact`,
          { cause: err },
        );
      for (const opt of Object.values(o.optimizers)) opt.zeroGrad();
      return err;
    }
    for (const c of captured) {
      sums.capturedSum += c;
      sums.capturedCount++;
    }
    for (const layer of layers) {
      const c = layer.lastSurrogateCosine;
      if (c !== undefined && c !== null) {
        sums.cosSum += c;
        sums.cosCount++;
      }
    }
    for (const opt of Object.values(o.optimizers)) opt.step();
    const loss = out.loss.item();
    if (!Number.isFinite(loss))
      throw new StateError(
        `Trainer.fit: the loss is ${loss} after ${sums.seen} examples of the epoch (training diverged: lower the learning rate)`,
      );
    sums.lossSum += loss * batch.size;
    sums.seen += batch.size;
    if (out.correct !== undefined) {
      sums.correct += out.correct;
      sums.scored++;
    }
    return loss;
  }

  private record(
    epoch: number,
    sums: EpochSums,
    metrics: Record<string, number>,
    layers: readonly ParamGradLayer[],
    /** the layers' counters to count up to (null: as they are now) */
    counted: Record<string, number>[] | null,
    seconds: number,
  ): EpochRecord {
    const o = this.options;
    const lr: Record<string, number> = {};
    for (const [name, opt] of Object.entries(o.optimizers)) lr[name] = opt.lr;
    let record: EpochRecord = {
      epoch: epoch + 1,
      trainLoss: sums.lossSum / sums.seen,
      trainAccuracy: sums.scored > 0 ? sums.correct / sums.seen : null,
      lr,
      seconds,
      metrics: { ...metrics },
    };
    if (layers.length > 0 && layers.every((l) => l.queries !== undefined)) {
      const spent: Record<string, number> = {};
      layers.forEach((l, i) => {
        for (const [k, v] of Object.entries(counted?.[i] ?? l.queries!))
          if (typeof v === 'number') spent[k] = (spent[k] ?? 0) + v - (sums.queriesAtStart[i]![k] ?? 0);
      });
      const total = Object.values(spent).reduce((a, b) => a + b, 0);
      record = { ...record, deviceQueries: { ...spent, perStep: total / o.stepsPerEpoch } };
    }
    if (sums.cosCount > 0) record = { ...record, surrogateCosine: sums.cosSum / sums.cosCount };
    if (sums.capturedCount > 0) record = { ...record, captured: sums.capturedSum / sums.capturedCount };
    if (sums.skipped > 0) record = { ...record, skippedSteps: sums.skipped };
    const faults: Record<string, number> = {};
    layers.forEach((l, i) => {
      for (const [k, v] of Object.entries(faultCounters(l)))
        faults[k] = (faults[k] ?? 0) + v - (sums.faultsAtStart[i]?.[k] ?? 0);
    });
    if (Object.values(faults).some((v) => v !== 0)) record = { ...record, deviceFaults: faults };
    return record;
  }

  /** Everything a resumed run needs, at (epoch, stepInEpoch). */
  private snapshot(
    epoch: number,
    stepInEpoch: number,
    globalStep: number,
    orderAtEpochStart: StateRecord,
    sums: EpochSums,
    finished = false,
  ): StateRecord {
    const o = this.options;
    const optimizers: Record<string, StateValue> = {};
    for (const [name, opt] of Object.entries(o.optimizers)) optimizers[name] = optimizerState(opt).state();
    const rngs: Record<string, StateValue> = {};
    for (const [name, r] of Object.entries(o.rngs ?? {})) rngs[name] = rngState(r).state();
    const physical: StateValue[] = (o.physical ?? []).map((l) => l.state!());
    const callbacks: StateValue[] = (o.callbacks ?? []).map((cb) => cb.state?.() ?? null);
    return {
      format: TRAINER_STATE_FORMAT,
      version: TRAINER_STATE_VERSION,
      config: o.config ?? {},
      position: { epoch, stepInEpoch, globalStep, finished },
      orderAtEpochStart,
      sums: {
        ...sums,
        queriesAtStart: sums.queriesAtStart.map((q) => ({ ...q })),
        faultsAtStart: sums.faultsAtStart.map((q) => ({ ...q })),
      },
      history: this.history as unknown as StateValue,
      model: moduleState(o.model).state(),
      optimizers,
      rngs,
      physical,
      callbacks,
    };
  }

  /** Loads a snapshot into every stateful part and returns the position it was taken at. */
  private restore(s: StateRecord): {
    epoch: number;
    stepInEpoch: number;
    globalStep: number;
    orderAtEpochStart: StateRecord;
    sums: EpochSums;
    finished: boolean;
  } {
    const fn = 'Trainer.fit (resume)';
    const o = this.options;
    if (s.format !== TRAINER_STATE_FORMAT || s.version !== TRAINER_STATE_VERSION)
      throw new FormatError(
        `${fn}: expected a ${TRAINER_STATE_FORMAT} v${TRAINER_STATE_VERSION} checkpoint, got format ${JSON.stringify(s.format)} v${JSON.stringify(s.version)}`,
      );
    const want = encodeState({ config: o.config ?? {} }).json;
    const have = encodeState({ config: recordField(fn, s, 'config') }).json;
    // the same settings listed in another order (flags typed in another order) are the same run
    if (!sameSettings(JSON.parse(want), JSON.parse(have)))
      throw new ArgumentError(
        `${fn}: the checkpoint was made with other settings (${have.slice(10, -1)}), this run has ${want.slice(10, -1)}; use the same settings or another checkpoint`,
      );
    const c = checkSnapshot(fn, s, {
      epochs: o.epochs,
      stepsPerEpoch: o.stepsPerEpoch,
      physical: (o.physical ?? []).length,
      callbacks: (o.callbacks ?? []).length,
    });
    const { epoch, stepInEpoch, globalStep } = c.position;
    moduleState(o.model).load(c.model as StateRecord);
    for (const [name, opt] of Object.entries(o.optimizers))
      optimizerState(opt).load(recordField(fn, c.optimizers as StateRecord, name));
    for (const [name, r] of Object.entries(o.rngs ?? {}))
      rngState(r).load(recordField(fn, c.rngs as StateRecord, name));
    for (const [i, l] of (o.physical ?? []).entries()) l.load!(c.physical[i] as StateRecord);
    for (const [i, cb] of (o.callbacks ?? []).entries())
      if (cb.load !== undefined && c.callbacks[i] !== null) cb.load(c.callbacks[i] as StateRecord);
    this.history = c.history as EpochRecord[];
    const sums: EpochSums = {
      ...c.sums,
      queriesAtStart: c.sums.queriesAtStart.map((q) => ({ ...q })),
      skipped: c.sums.skipped ?? 0,
      faultsAtStart: c.sums.faultsAtStart?.map((q) => ({ ...q })) ?? (o.physical ?? []).map(faultCounters),
    };
    return {
      epoch,
      stepInEpoch,
      globalStep,
      orderAtEpochStart: c.orderAtEpochStart as StateRecord,
      sums,
      // a run that a callback stopped early stays stopped
      finished: c.position.finished,
    };
  }
}

function freshSums(layers: readonly ParamGradLayer[]): EpochSums {
  return {
    lossSum: 0,
    correct: 0,
    seen: 0,
    scored: 0,
    cosSum: 0,
    cosCount: 0,
    capturedSum: 0,
    capturedCount: 0,
    queriesAtStart: layers.map((l) => ({ ...((l.queries ?? {}) as Record<string, number>) })),
    secondsBefore: 0,
    skipped: 0,
    faultsAtStart: layers.map(faultCounters),
  };
}

/** A layer's numeric fault counters (none for layers without `faults`). */
function faultCounters(l: ParamGradLayer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(l.faults ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0]!;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Trains a model (see {@link Trainer}): `new Trainer(options).fit()`. */
export function fit<B extends SizedBatch>(options: TrainerOptions<B>): Promise<FitResult> {
  return new Trainer(options).fit();
}
