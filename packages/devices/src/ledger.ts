import {
  ArgumentError,
  BudgetError,
  checkInt,
  describeValue,
  type Restore,
  type Stateful,
  StateReader,
} from '@tenzo/core';

/** Optional hard limits; a query that would exceed one throws `BudgetError` before it runs. */
export interface LedgerBudget {
  /** maximum number of `query` calls */
  readonly maxCalls?: number;
  /** maximum number of input vectors evaluated (Σ B over calls) */
  readonly maxInputs?: number;
  /** maximum number of ω reconfigurations */
  readonly maxReconfigurations?: number;
}

/** A plain copy of the ledger's counters (also its checkpoint state). */
export type LedgerSnapshot = {
  readonly calls: number;
  readonly inputs: number;
  readonly reconfigurations: number;
  readonly wallMs: number;
  /** extra attempts of remote calls (a call answered at its third attempt counts 2) */
  readonly retries: number;
  /** attempts that ran past their timeout */
  readonly timeouts: number;
  /** answers refused by validation (status, type, length, non-finite or out-of-range rows) */
  readonly rejectedResponses: number;
};

/**
 * The query ledger every device keeps, so reports can state query costs (METHODS.md §1.2:
 * the cost of ZO training is counted in device evaluations, not FLOPs). A remote device also
 * counts its faults here (retries, timeouts, rejected responses); simulators leave them at 0.
 */
export class QueryLedger implements Stateful<LedgerSnapshot> {
  calls = 0;
  inputs = 0;
  reconfigurations = 0;
  wallMs = 0;
  retries = 0;
  timeouts = 0;
  rejectedResponses = 0;
  private readonly budget: LedgerBudget;

  constructor(budget: LedgerBudget = {}) {
    if (typeof budget !== 'object' || budget === null)
      throw new ArgumentError(`QueryLedger: budget expected an object, got ${describeValue(budget)}`);
    if (budget.maxCalls !== undefined) checkInt('budget.maxCalls', budget.maxCalls);
    if (budget.maxInputs !== undefined) checkInt('budget.maxInputs', budget.maxInputs);
    if (budget.maxReconfigurations !== undefined)
      checkInt('budget.maxReconfigurations', budget.maxReconfigurations);
    this.budget = { ...budget };
  }

  /** Throws `BudgetError` if a call with `inputs` vectors (and a reconfiguration) would exceed a limit. */
  check(inputs: number, reconfigures: boolean): void {
    const b = this.budget;
    if (b.maxCalls !== undefined && this.calls + 1 > b.maxCalls) {
      throw new BudgetError(
        `device query budget: maxCalls ${b.maxCalls} exhausted (${this.calls} calls made)`,
      );
    }
    if (b.maxInputs !== undefined && this.inputs + inputs > b.maxInputs) {
      throw new BudgetError(
        `device query budget: maxInputs ${b.maxInputs} would be exceeded (${this.inputs} evaluated, ${inputs} requested)`,
      );
    }
    if (
      reconfigures &&
      b.maxReconfigurations !== undefined &&
      this.reconfigurations + 1 > b.maxReconfigurations
    ) {
      throw new BudgetError(`device query budget: maxReconfigurations ${b.maxReconfigurations} exhausted`);
    }
  }

  /**
   * Throws `BudgetError` if `calls` calls with `inputs` vectors in all and `reconfigurations`
   * reconfigurations would exceed a limit (a batch of queries accounted at once).
   */
  checkMany(calls: number, inputs: number, reconfigurations: number): void {
    const b = this.budget;
    if (b.maxCalls !== undefined && this.calls + calls > b.maxCalls) {
      throw new BudgetError(
        `device query budget: maxCalls ${b.maxCalls} would be exceeded (${this.calls} made, ${calls} requested)`,
      );
    }
    if (b.maxInputs !== undefined && this.inputs + inputs > b.maxInputs) {
      throw new BudgetError(
        `device query budget: maxInputs ${b.maxInputs} would be exceeded (${this.inputs} evaluated, ${inputs} requested)`,
      );
    }
    if (
      b.maxReconfigurations !== undefined &&
      this.reconfigurations + reconfigurations > b.maxReconfigurations
    ) {
      throw new BudgetError(
        `device query budget: maxReconfigurations ${b.maxReconfigurations} would be exceeded (${this.reconfigurations} made, up to ${reconfigurations} requested)`,
      );
    }
  }

  /** Checks a standalone reconfiguration (setParams) against the budget. */
  checkReconfiguration(): void {
    const b = this.budget;
    if (b.maxReconfigurations !== undefined && this.reconfigurations + 1 > b.maxReconfigurations) {
      throw new BudgetError(`device query budget: maxReconfigurations ${b.maxReconfigurations} exhausted`);
    }
  }

  /** The counters so far (calls, input vectors, reconfigurations …), for reports and checkpoints. */
  snapshot(): LedgerSnapshot {
    return {
      calls: this.calls,
      inputs: this.inputs,
      reconfigurations: this.reconfigurations,
      wallMs: this.wallMs,
      retries: this.retries,
      timeouts: this.timeouts,
      rejectedResponses: this.rejectedResponses,
    };
  }

  /** Counters accumulated since `before` (e.g. the cost of one training step). */
  since(before: LedgerSnapshot): LedgerSnapshot {
    return {
      calls: this.calls - before.calls,
      inputs: this.inputs - before.inputs,
      reconfigurations: this.reconfigurations - before.reconfigurations,
      wallMs: this.wallMs - before.wallMs,
      retries: this.retries - before.retries,
      timeouts: this.timeouts - before.timeouts,
      rejectedResponses: this.rejectedResponses - before.rejectedResponses,
    };
  }

  /** The counters, for a checkpoint (the budget is a setting, not state). */
  state(): LedgerSnapshot {
    return this.snapshot();
  }

  /** Restores `state()`: a resumed run goes on counting where the snapshot was taken. */
  load(state: LedgerSnapshot): void {
    this.readState(new StateReader('QueryLedger.load', state))();
  }

  /**
   * Checks a snapshot read through `r`; the returned function puts it in place. The fault
   * counters are optional (0 when absent): checkpoints written before they existed still load.
   */
  readState(r: StateReader): Restore {
    const calls = r.count('calls');
    const inputs = r.count('inputs');
    const reconfigurations = r.count('reconfigurations');
    const wallMs = r.number('wallMs', { min: 0 });
    const optional = (key: string) => (r.value(key) === undefined ? 0 : r.count(key));
    const retries = optional('retries');
    const timeouts = optional('timeouts');
    const rejectedResponses = optional('rejectedResponses');
    return () => {
      this.calls = calls;
      this.inputs = inputs;
      this.reconfigurations = reconfigurations;
      this.wallMs = wallMs;
      this.retries = retries;
      this.timeouts = timeouts;
      this.rejectedResponses = rejectedResponses;
    };
  }

  /** Sets every counter back to 0 (the budget itself is unchanged). */
  reset(): void {
    this.calls = 0;
    this.inputs = 0;
    this.reconfigurations = 0;
    this.wallMs = 0;
    this.retries = 0;
    this.timeouts = 0;
    this.rejectedResponses = 0;
  }
}
