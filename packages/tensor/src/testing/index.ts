export { CASE_GENERATORS, type CaseContext, type ConformanceCase } from './cases.js';
export {
  type ConformanceFailure,
  type ConformanceOptions,
  type ConformanceReport,
  runConformance,
  type Tolerance,
} from './conformance.js';
