// Node-only parts (filesystem, process.stderr). Kept off the main entry so the tables, argument
// parser and SVG plots stay usable in browsers.
export { type ProgressStream, progressBar, stderrWriter } from './progress/stderrWriter.js';
export { writeReport, writeSvg } from './report/writeReport.js';
export { checkOutputs } from './run/checkOutputs.js';
export { exitOnError } from './run/exitOnError.js';
