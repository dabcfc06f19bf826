import {
  ArgumentError,
  checkArray,
  checkInt,
  checkNumbers,
  checkObject,
  checkOneOf,
  OutOfRangeError,
} from '@tenzo/core';
import { escapeXml } from './escape.js';
import { frameFor, legend, px, svgOpen, textWidth } from './frame.js';
import { seriesColor } from './palette.js';
import { linearAxis, logAxis, tickLabel } from './ticks.js';

/** One series of a bar chart: a bar in every category group, drawn in one colour. */
export interface BarSeries {
  /** the legend entry (and the `data-series` attribute of its `<g>`) */
  name: string;
  /** one value per category, in the chart's unit; a non-finite value draws no bar */
  values: ArrayLike<number>;
  /** any SVG colour; the palette's colour for the series' index when absent */
  color?: string;
}

/**
 * The value axis of a bar chart: `'linear'` (always includes 0), `'log'` (log10, every finite
 * value must be > 0; bars start at the bottom of the axis), or `'auto'`: log when every finite
 * value is positive and the largest is more than 30× the smallest.
 */
export type BarScale = 'auto' | 'linear' | 'log';

/** Options of {@link barChartSvg}; sizes are SVG pixels. */
export interface BarChartOptions {
  /** the heading above the plot */
  title: string;
  /** the caption under the category labels (none when absent) */
  xLabel?: string;
  /** the caption of the value axis (the unit, e.g. `'ms'`); `' (log scale)'` is appended on a log axis */
  yLabel: string;
  /** one group of bars per category, labelled along the bottom */
  categories: readonly string[];
  /** the bars of each group, one per series, left to right */
  series: readonly BarSeries[];
  /**
   * total width, an integer ≥ 200 (default 720); grown when the categories need it, so that every
   * group is at least 18 px wide and the labels fit rotated
   */
  width?: number;
  /**
   * total height, an integer ≥ 150 (default 440); grown by the room that rotated category
   * labels take, so the plot area keeps its size
   */
  height?: number;
  /** the value axis (default `'auto'`) */
  scale?: BarScale;
}

/** `'auto'` picks a log axis when the largest finite value exceeds the smallest by more than this factor. */
const LOG_SCALE_RATIO = 30;

/** The narrowest category group in px: room for one rotated label line. */
const MIN_GROUP_WIDTH = 18;

/** The shortest bar a log axis draws, in px: the axis extends a decade down until the smallest value reaches it. */
const MIN_LOG_BAR = 6;

/** Label geometry of 12px text: baseline-relative ascent and descent, the gap kept between labels. */
const ASCENT = 10;
const DESCENT = 3;
const LABEL_GAP = 4;

/** How category labels sit under their groups: the anchor's offset below the plot and the rotation. */
interface LabelLayout {
  /** rotation in degrees, counter-clockwise (0, 45 or 90) */
  angle: number;
  /** baseline anchor y, px below the plot's bottom edge */
  dy: number;
  /** px the labels reach below the plot's bottom edge */
  depth: number;
}

/**
 * Horizontal labels when the widest fits its group; else 45° when neighbours, a group width
 * apart, clear each other measured across the slanted baseline; else vertical.
 */
function labelLayout(widest: number, groupW: number): LabelLayout {
  const lineH = ASCENT + DESCENT + LABEL_GAP;
  if (widest + LABEL_GAP <= groupW) return { angle: 0, dy: 18, depth: 18 + DESCENT };
  const angle = groupW * Math.SQRT1_2 >= lineH ? 45 : 90;
  const r = (angle * Math.PI) / 180;
  const dy = 6 + ASCENT * Math.cos(r);
  return { angle, dy, depth: dy + widest * Math.sin(r) + DESCENT * Math.cos(r) };
}

/**
 * A grouped bar chart (one group per category, one bar per series) as a self-contained SVG.
 * A linear value axis always includes 0 so bar lengths compare honestly; values spanning more
 * than 30× get a log axis (see {@link BarScale}) on which every bar is at
 * least a few px tall. Category labels never overlap: they are rotated 45° or 90° when they do
 * not fit their group, and the SVG grows to hold them. Non-finite values draw no bar.
 *
 * ```ts
 * barChartSvg({ title: 'matmul 512³', yLabel: 'ms', categories: ['f32', 'f64'],
 *   series: [{ name: 'tenzo', values: [12, 30] }, { name: 'tfjs', values: [10, 41] }] });
 * ```
 *
 * @returns the SVG document, ending in a newline
 * @throws ArgumentError when an option has the wrong type, a series has not one value per
 *   category, or `scale` is not one of {@link BarScale}
 * @throws OutOfRangeError when `scale` is `'log'` and a finite value is ≤ 0
 */
export function barChartSvg(opts: BarChartOptions): string {
  checkObject('barChartSvg: opts', opts);
  checkArray('barChartSvg: series', opts.series).forEach((s, i) => {
    checkObject(`barChartSvg: series[${i}]`, s);
  });
  checkArray('barChartSvg: categories', opts.categories);
  opts.series.forEach((s, i) => {
    checkNumbers(`barChartSvg: series[${i}].values`, s.values, { finite: false });
  });
  const scale = checkOneOf('barChartSvg: scale', opts.scale ?? 'auto', ['auto', 'linear', 'log'] as const);
  let width = checkInt('width', opts.width ?? 720, { min: 200 });
  let height = checkInt('height', opts.height ?? 440, { min: 150 });
  const nc = opts.categories.length;
  const vals: number[] = [];
  opts.series.forEach((s, i) => {
    if (s.values.length !== nc) {
      throw new ArgumentError(
        `series[${i}] '${s.name}': expected ${nc} values (one per category), got ${s.values.length}`,
      );
    }
    for (let k = 0; k < nc; k++) if (Number.isFinite(s.values[k]!)) vals.push(s.values[k]!);
  });
  const lo = vals.length ? Math.min(...vals) : 0;
  const hi = vals.length ? Math.max(...vals) : 0;
  if (scale === 'log' && !(lo > 0))
    throw new OutOfRangeError(`barChartSvg: a log axis needs values > 0, got ${lo}`);
  const log = scale === 'log' || (scale === 'auto' && lo > 0 && hi > LOG_SCALE_RATIO * lo);

  const names = opts.series.map((s) => s.name);
  let f = frameFor(width, height, names);
  // every group wide enough for one rotated label line: widen the SVG, not squeeze the labels
  if (nc * MIN_GROUP_WIDTH > f.right - f.left) {
    width += Math.ceil(nc * MIN_GROUP_WIDTH - (f.right - f.left));
    f = frameFor(width, height, names);
  }
  const groupW = (f.right - f.left) / Math.max(nc, 1);
  const widest = Math.max(0, ...opts.categories.map(textWidth));
  const labels = labelLayout(widest, groupW);
  // a 45° label hangs left of its group by its width·cos 45°: room for the first one
  if (labels.angle === 45) {
    const hang = Math.ceil((widest + ASCENT) * Math.SQRT1_2 + 2 - groupW / 2 - f.left);
    if (hang > 0) {
      width += hang;
      f = { ...f, width, left: f.left + hang, right: f.right + hang };
    }
  }
  // the plot keeps its height; the SVG grows by what rotated labels take beyond the usual row
  const grow = Math.max(0, Math.ceil(labels.depth - 22));
  if (grow > 0) {
    height += grow;
    f = { ...f, height };
  }
  const barW = (groupW * 0.8) / Math.max(opts.series.length, 1);

  const plotH = f.bottom - f.top;
  let ay = log ? logAxis(lo, hi) : linearAxis(Math.min(0, lo), Math.max(0, hi));
  const t = (v: number) => (log ? Math.log10(v) : v);
  const sy = (v: number) =>
    f.bottom - ((t(v) - t(ay.domain[0])) / (t(ay.domain[1]) - t(ay.domain[0]))) * plotH;
  // a value just above a decade would get a sliver of a bar: one more decade below
  if (log && f.bottom - sy(lo) < MIN_LOG_BAR) ay = logAxis(lo / 10, hi);
  const base = log ? ay.domain[0] : 0;

  const yLabel = log ? `${opts.yLabel} (log scale)` : opts.yLabel;
  const out = svgOpen(f, opts.title, opts.xLabel ?? '', yLabel);
  out.push('<g stroke="#e5e5e5" stroke-width="1">');
  for (const v of ay.ticks)
    out.push(`<line x1="${f.left}" y1="${px(sy(v))}" x2="${f.right}" y2="${px(sy(v))}"/>`);
  out.push('</g>');
  out.push('<g fill="#333333">');
  for (const v of ay.ticks) {
    out.push(
      `<text x="${f.left - 8}" y="${px(sy(v) + 4)}" text-anchor="end">${escapeXml(tickLabel(v))}</text>`,
    );
  }
  out.push('</g>');
  out.push('<g fill="#333333" data-role="categories">');
  opts.categories.forEach((c, k) => {
    const x = px(f.left + (k + 0.5) * groupW);
    const y = px(f.bottom + labels.dy);
    const placed =
      labels.angle === 0
        ? `text-anchor="middle"`
        : `text-anchor="end" transform="rotate(${-labels.angle} ${x} ${y})"`;
    out.push(`<text x="${x}" y="${y}" ${placed}>${escapeXml(c)}</text>`);
  });
  out.push('</g>');
  opts.series.forEach((s, i) => {
    out.push(`<g data-series="${escapeXml(s.name)}" fill="${escapeXml(seriesColor(i, s.color))}">`);
    for (let k = 0; k < nc; k++) {
      const v = s.values[k]!;
      if (!Number.isFinite(v)) continue;
      const x = f.left + k * groupW + groupW * 0.1 + i * barW;
      const y0 = sy(Math.max(v, base));
      out.push(
        `<rect x="${px(x)}" y="${px(y0)}" width="${px(barW)}" height="${px(Math.abs(sy(v) - sy(base)))}"/>`,
      );
    }
    out.push('</g>');
  });
  out.push(
    `<line x1="${f.left}" y1="${px(sy(base))}" x2="${f.right}" y2="${px(sy(base))}" stroke="#333333"/>`,
  );
  out.push(
    `<rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#333333"/>`,
  );
  out.push(
    ...legend(
      f,
      opts.series.map((s, i) => ({ name: s.name, color: seriesColor(i, s.color), swatch: true })),
    ),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
