import { checkInt, checkObject, OutOfRangeError, type StateReader } from '@tenzo/core';

/** Device queries a layer spent, by purpose (input vectors sent to the device). */
export type QueryCounts = {
  /** the forward passes themselves */
  forward: number;
  /** surrogate maintenance: implicit KSL/BUG updates */
  surrogate: number;
  /** exact surrogate (re)builds from identity probes */
  rebuild: number;
  /** ZO ω-gradient estimates */
  zo: number;
  /** probes of the unbiased backward (`backwardProbes`) */
  correction: number;
};

/** A {@link QueryCounts} with every field 0. */
export function zeroCounts(): QueryCounts {
  return { forward: 0, surrogate: 0, rebuild: 0, zo: 0, correction: 0 };
}

/** The counts of a checkpoint, checked (each an integer >= 0). */
export function readQueryCounts(r: StateReader): QueryCounts {
  return {
    forward: r.count('forward'),
    surrogate: r.count('surrogate'),
    rebuild: r.count('rebuild'),
    zo: r.count('zo'),
    correction: r.count('correction'),
  };
}

const FIELDS = ['forward', 'surrogate', 'rebuild', 'zo', 'correction'] as const;

/** Query counts: an object of five integer counts >= 0. */
function checkCounts(op: string, name: string, c: QueryCounts): QueryCounts {
  checkObject(`${op}: ${name}`, c);
  for (const f of FIELDS) checkInt(`${op}: ${name}.${f}`, c[f]);
  return c;
}

/**
 * All input vectors sent to the device: the sum of a {@link QueryCounts}' fields.
 * @throws ArgumentError when a field is not a non-negative integer
 */
export function totalQueries(c: QueryCounts): number {
  checkCounts('totalQueries', 'c', c);
  return c.forward + c.surrogate + c.rebuild + c.zo + c.correction;
}

/**
 * The sum of two {@link QueryCounts}, field by field.
 * @throws ArgumentError when a field is not a non-negative integer
 */
export function addCounts(a: QueryCounts, b: QueryCounts): QueryCounts {
  checkCounts('addCounts', 'a', a);
  checkCounts('addCounts', 'b', b);
  return {
    forward: a.forward + b.forward,
    surrogate: a.surrogate + b.surrogate,
    rebuild: a.rebuild + b.rebuild,
    zo: a.zo + b.zo,
    correction: a.correction + b.correction,
  };
}

/** a − b: the queries spent between two snapshots of a layer's counters. */
export function subCounts(a: QueryCounts, b: QueryCounts): QueryCounts {
  checkCounts('subCounts', 'a', a);
  checkCounts('subCounts', 'b', b);
  // b is the earlier snapshot: a count that went down means the arguments are swapped or unrelated
  for (const f of FIELDS)
    if (a[f] < b[f])
      throw new OutOfRangeError(
        `subCounts: a.${f} = ${a[f]} is below b.${f} = ${b[f]} (b must be an earlier snapshot of a)`,
      );
  return {
    forward: a.forward - b.forward,
    surrogate: a.surrogate - b.surrogate,
    rebuild: a.rebuild - b.rebuild,
    zo: a.zo - b.zo,
    correction: a.correction - b.correction,
  };
}
