import { checkNumber, type NumberRange } from './checks.js';
import { describeValue } from './describe.js';
import { FormatError, ShapeError, TenzoError } from './errors.js';
import type { RngState } from './rng.js';

/** Puts a checked snapshot in place; nothing changes before it runs. */
export type Restore = () => void;

function isRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/**
 * Reads the snapshot handed to a `load` (see `Stateful`) field by field. Every read checks the
 * field's type and length and throws `FormatError` (missing, wrong type or range) or `ShapeError`
 * (wrong length) naming the function, the field's path, the expectation and the value received:
 * `PhysicalLayer.load: pending[0].Y: expected a Float64Array of length 30, got Float64Array(29)`.
 * A snapshot comes back from a checkpoint file, so it is checked by value — a corrupt file fails
 * here, not as a TypeError deep inside the restore.
 *
 * Typed arrays are returned as copies: a loaded object must not share storage with the snapshot.
 */
export class StateReader {
  private readonly fields: { readonly [key: string]: unknown };

  /** `op` names the function (`QueryLedger.load`), `path` the record inside the snapshot. */
  constructor(
    readonly op: string,
    state: unknown,
    readonly path = '',
  ) {
    if (!isRecord(state)) {
      throw new FormatError(
        `${op}: ${path === '' ? 'state' : path}: expected a state record, got ${describeValue(state)}`,
      );
    }
    this.fields = state;
  }

  /** The full path of a field, for messages: `device.ledger.calls`. */
  name(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** A `FormatError` for `key` (for checks the reads below do not cover). */
  formatError(key: string, expected: string, value: unknown): FormatError {
    return new FormatError(
      `${this.op}: ${this.name(key)}: expected ${expected}, got ${describeValue(value)}`,
    );
  }

  /** A `ShapeError` for `key` (lengths that depend on other fields). */
  shapeError(key: string, expected: string, value: unknown): ShapeError {
    return new ShapeError(`${this.op}: ${this.name(key)}: expected ${expected}, got ${describeValue(value)}`);
  }

  /** The raw value of `key` (undefined when missing). */
  value(key: string): unknown {
    return Object.hasOwn(this.fields, key) ? this.fields[key] : undefined;
  }

  /** true when `key` holds null (optional parts of a snapshot are null, never missing). */
  isNull(key: string): boolean {
    return this.value(key) === null;
  }

  /** A nested record. */
  record(key: string): StateReader {
    const v = this.value(key);
    if (!isRecord(v)) throw this.formatError(key, 'a state record', v);
    return new StateReader(this.op, v, this.name(key));
  }

  /** A list of records (`pending[0]`, `pending[1]`, ...). */
  list(key: string): StateReader[] {
    const v = this.value(key);
    if (!Array.isArray(v)) throw this.formatError(key, 'a list of state records', v);
    return v.map((item, i) => {
      if (!isRecord(item)) throw this.formatError(`${key}[${i}]`, 'a state record', item);
      return new StateReader(this.op, item, this.name(`${key}[${i}]`));
    });
  }

  /**
   * A number; any float64 (±∞ and NaN included, as checkpoints keep them) unless `range` asks
   * for a finite one in a range.
   */
  number(key: string, range?: NumberRange): number {
    const v = this.value(key);
    if (range === undefined) {
      if (typeof v !== 'number') throw this.formatError(key, 'a number', v);
      return v;
    }
    try {
      return checkNumber(this.name(key), v, range);
    } catch (e) {
      // the argument check's message, as a malformed snapshot's error
      throw new FormatError(`${this.op}: ${(e as Error).message}`);
    }
  }

  /** A count: an integer >= 0. */
  count(key: string): number {
    return this.number(key, { integer: true, min: 0 });
  }

  /**
   * The boolean at `key`.
   * @throws FormatError when it is missing or not a boolean
   */
  boolean(key: string): boolean {
    const v = this.value(key);
    if (typeof v !== 'boolean') throw this.formatError(key, 'a boolean', v);
    return v;
  }

  /** A copy of a Float64Array field, of exactly `length` entries when given. */
  float64(key: string, length?: number): Float64Array {
    const v = this.value(key);
    const want = length === undefined ? 'a Float64Array' : `a Float64Array of length ${length}`;
    if (!(v instanceof Float64Array)) throw this.formatError(key, want, v);
    if (length !== undefined && v.length !== length) throw this.shapeError(key, want, v);
    return v.slice();
  }

  /** A generator state (`Rng.getState()`), checked word by word; a fresh copy. */
  rng(key: string): RngState {
    const v = this.value(key);
    const want = "an RngState {algorithm: 'xoshiro256**', words: 8 uint32, spareNormal: number | null}";
    if (!isRecord(v) || v.algorithm !== 'xoshiro256**') throw this.formatError(key, want, v);
    const words = v.words;
    if (
      !Array.isArray(words) ||
      words.length !== 8 ||
      !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
    ) {
      throw this.formatError(`${key}.words`, '8 integers in [0, 2^32)', words);
    }
    const spare = v.spareNormal;
    if (spare !== null && typeof spare !== 'number')
      throw this.formatError(`${key}.spareNormal`, 'a number or null', spare);
    return { algorithm: 'xoshiro256**', words: words.slice() as number[], spareNormal: spare };
  }

  /**
   * Hands `key` to another object's `load` (one this code does not read itself, e.g. a device's)
   * and re-labels its errors with this function and path, keeping their class.
   */
  nested(key: string, load: (value: unknown) => void): void {
    try {
      load(this.value(key));
    } catch (e) {
      if (!(e instanceof TenzoError)) throw e;
      const message = `${this.op}: ${this.name(key)}: ${e.message}`;
      if (e instanceof ShapeError) throw new ShapeError(message);
      throw new FormatError(message, { cause: e });
    }
  }
}
