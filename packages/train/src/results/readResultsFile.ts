import { readFileSync } from 'node:fs';
import { checkString, parseJsonStrict } from '@tenzo/core';
import type * as v from 'valibot';
import { checkAgainst } from './checkAgainst.js';

/**
 * A JSON results file read strictly (no duplicate keys, core's `parseJsonStrict`) and checked
 * against a valibot `schema` (`checkAgainst`): a FormatError names the file and the field.
 */
export function readResultsFile<S extends v.GenericSchema>(path: string, schema: S): v.InferOutput<S> {
  const raw = parseJsonStrict(readFileSync(checkString('readResultsFile: path', path), 'utf8'), path);
  // plain objects again (the strict parser's have no prototype)
  return checkAgainst(schema, JSON.parse(JSON.stringify(raw)), path);
}
