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
} from './apiFuzz.js';
export { describePublicApi } from './describePublicApi.js';
