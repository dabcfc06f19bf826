export { commonFlags, defineCommand } from './args/commonFlags.js';
export { formatAppHelp, formatCommandHelp } from './args/help.js';
export { parseArgs, parseCommand } from './args/parseArgs.js';
export type {
  AppSpec,
  BooleanFlag,
  CommandSpec,
  EnumFlag,
  FlagSpec,
  FlagSpecs,
  FlagValue,
  FlagValues,
  HelpRequest,
  IntegerFlag,
  NumberFlag,
  ParsedCommand,
  PositionalSpec,
  RangeFlag,
  StringFlag,
} from './args/spec.js';
export { kebabCase } from './args/spec.js';
export { formatDuration, formatNumber, formatRate, type NumberFormat } from './format/number.js';
export { type BarChartOptions, type BarScale, type BarSeries, barChartSvg } from './plot/barChart.js';
export { escapeXml } from './plot/escape.js';
export { type LinePlotOptions, type LineSeries, linePlotSvg } from './plot/linePlot.js';
export { palette } from './plot/palette.js';
export { type LinearAxis, linearAxis, logAxis, niceStep } from './plot/ticks.js';
export { ProgressBar, type ProgressBarOptions, type ProgressWriter } from './progress/progressBar.js';
export {
  type ProgressFields,
  type ProgressSnapshot,
  type RenderOptions,
  renderProgress,
} from './progress/render.js';
export { toJsonValue } from './report/toJsonValue.js';
export type { Column, ColumnInput, Row } from './table/columns.js';
export { formatTable } from './table/formatTable.js';
export { markdownTable } from './table/markdownTable.js';
