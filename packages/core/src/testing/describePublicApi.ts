import { afterAll, describe, expect, it } from 'vitest';
import { type ApiCase, ApiFuzz } from './apiFuzz.js';
import { writeFuzzReport } from './fuzzReport.js';

/**
 * The vitest suite of a package's `publicApi.fuzz.test.ts`: runs every case, prints the package's
 * counts once (and writes them to `.reports/fuzz/<entry>.json` and `TABLE.md`, see
 * `writeFuzzReport`), and fails on any raw error, silent wrong result or hang, or on fewer than `minCases`.
 */
export function describePublicApi(
  pkg: string,
  cases: readonly ApiCase<unknown[]>[],
  opts: { runs?: number; seed?: number; hangMs?: number; minCases?: number } = {},
): ApiFuzz {
  const fuzz = new ApiFuzz(pkg, opts);
  afterAll(() => {
    console.log(fuzz.summary());
    if (fuzz.counts.tried > 0) writeFuzzReport(fuzz);
  });
  describe(`${pkg} public API under generated bad input (issue #22)`, () => {
    it('every call ends in a typed error or a correct result', async () => {
      await fuzz.checkAll(cases);
      expect(fuzz.problems).toEqual([]);
      expect(fuzz.counts.tried).toBeGreaterThanOrEqual(opts.minCases ?? 1000);
    });
  });
  return fuzz;
}
