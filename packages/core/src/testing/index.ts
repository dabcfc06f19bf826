// Test-only helpers for tenzo packages; resolved under the workspace's `@tenzo/source` condition.
export {
  type ApiCase,
  ApiFuzz,
  allFinite,
  anyNumber,
  anyNumbers,
  anySize,
  apiCase,
  type FuzzCounts,
  type FuzzOutcome,
  isFiniteArray,
  isInt,
  isNum,
  junk,
  type PredicateCounts,
} from './apiFuzz.js';
export { describePublicApi } from './describePublicApi.js';
export { type FileMutation, mutatedBytes, mutatedText, type SizeField, TempFiles } from './fileFuzz.js';
export { type FuzzReport, fuzzReportDir, fuzzTable, writeFuzzReport } from './fuzzReport.js';
