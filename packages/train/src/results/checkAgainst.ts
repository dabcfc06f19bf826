import { checkString, FormatError } from '@tenzo/core';
import * as v from 'valibot';

/**
 * Validates `value` against a valibot `schema` (results a run reads back before building on
 * them: a sweep's cells, a variant's record) and returns the parsed output, or throws a
 * FormatError naming `source` and the first offending field, e.g. "results.json: field
 * variants.slm.valLoss: Invalid type: Expected number but received "x"".
 */
export function checkAgainst<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  source: string,
): v.InferOutput<S> {
  checkString('checkAgainst: source', source);
  const r = v.safeParse(schema, value);
  if (r.success) return r.output;
  const first = r.issues[0];
  const at = first.path?.map((p) => String(p.key)).join('.') ?? '(top)';
  throw new FormatError(`${source}: field ${at}: ${first.message}`);
}
