import { ArgumentError, checkArray, checkInt, checkNumbers, checkObject } from '@tenzo/core';
import { escapeXml } from './escape.js';
import { frameFor, legend, px, svgOpen } from './frame.js';
import { seriesColor } from './palette.js';
import { type LinearAxis, linearAxis, logAxis, tickLabel } from './ticks.js';

/** One curve. `x` and `y` have equal length; non-finite points (and non-positive ones on a log axis) break the line. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** dashed, for references and baselines */
  dashed?: boolean;
  /** CSS colour; default from the colour-blind-safe palette */
  color?: string;
  /** draw a dot at every point (always on for single-point series) */
  markers?: boolean;
}

/**
 * Options of `linePlotSvg`: title, axis captions, the series to draw, log scales per axis and the size in
 * SVG pixels.
 */
export interface LinePlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  logX?: boolean;
  logY?: boolean;
  /** pixels, default 720 */
  width?: number;
  /** pixels, default 440 */
  height?: number;
}

function axisFor(values: number[], log: boolean): LinearAxis {
  if (values.length === 0) return log ? logAxis(1, 10) : linearAxis(0, 1);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return log ? logAxis(lo, hi) : linearAxis(lo, hi);
}

const usable = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);

/**
 * A self-contained SVG line chart: framed axes with nice ticks and a light grid, optional log
 * axes, a legend, dashed reference lines. All text is XML-escaped.
 *
 * ```ts
 * const svg = linePlotSvg({
 *   title: 'MNIST', xLabel: 'epoch', yLabel: 'test accuracy',
 *   series: [{ name: 'hybrid', x: [1, 2, 3], y: [0.9, 0.94, 0.96] },
 *            { name: 'target 95%', x: [1, 3], y: [0.95, 0.95], dashed: true }],
 * });
 * ```
 */
export function linePlotSvg(opts: LinePlotOptions): string {
  checkObject('linePlotSvg: opts', opts);
  checkArray('linePlotSvg: series', opts.series).forEach((s, i) => {
    checkObject(`linePlotSvg: series[${i}]`, s);
  });
  opts.series.forEach((s, i) => {
    checkNumbers(`linePlotSvg: series[${i}].x`, s.x, { finite: false });
    checkNumbers(`linePlotSvg: series[${i}].y`, s.y, { finite: false });
  });
  const width = checkInt('width', opts.width ?? 720, { min: 200 });
  const height = checkInt('height', opts.height ?? 440, { min: 150 });
  const logX = opts.logX ?? false;
  const logY = opts.logY ?? false;
  const xs: number[] = [];
  const ys: number[] = [];
  opts.series.forEach((s, i) => {
    if (s.x.length !== s.y.length) {
      throw new ArgumentError(
        `series[${i}] '${s.name}': expected x and y of equal length, got ${s.x.length} and ${s.y.length}`,
      );
    }
    for (let k = 0; k < s.x.length; k++) {
      if (usable(s.x[k]!, logX) && usable(s.y[k]!, logY)) {
        xs.push(s.x[k]!);
        ys.push(s.y[k]!);
      }
    }
  });
  const ax = axisFor(xs, logX);
  const ay = axisFor(ys, logY);
  const f = frameFor(
    width,
    height,
    opts.series.map((s) => s.name),
  );
  const t = (v: number, log: boolean) => (log ? Math.log10(v) : v);
  const sx = (v: number) => {
    const [a, b] = ax.domain;
    return f.left + ((t(v, logX) - t(a, logX)) / (t(b, logX) - t(a, logX))) * (f.right - f.left);
  };
  const sy = (v: number) => {
    const [a, b] = ay.domain;
    return f.bottom - ((t(v, logY) - t(a, logY)) / (t(b, logY) - t(a, logY))) * (f.bottom - f.top);
  };

  const out = svgOpen(f, opts.title, opts.xLabel, opts.yLabel);
  out.push('<g stroke="#e5e5e5" stroke-width="1">');
  for (const v of ax.ticks)
    out.push(`<line x1="${px(sx(v))}" y1="${f.top}" x2="${px(sx(v))}" y2="${f.bottom}"/>`);
  for (const v of ay.ticks)
    out.push(`<line x1="${f.left}" y1="${px(sy(v))}" x2="${f.right}" y2="${px(sy(v))}"/>`);
  out.push('</g>');
  out.push(
    `<rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#333333"/>`,
  );
  out.push('<g fill="#333333">');
  for (const v of ax.ticks) {
    out.push(
      `<text x="${px(sx(v))}" y="${f.bottom + 18}" text-anchor="middle">${escapeXml(tickLabel(v))}</text>`,
    );
  }
  for (const v of ay.ticks) {
    out.push(
      `<text x="${f.left - 8}" y="${px(sy(v) + 4)}" text-anchor="end">${escapeXml(tickLabel(v))}</text>`,
    );
  }
  out.push('</g>');

  opts.series.forEach((s, i) => {
    const color = escapeXml(seriesColor(i, s.color));
    let d = '';
    let pen = false;
    const dots: string[] = [];
    for (let k = 0; k < s.x.length; k++) {
      const x = s.x[k]!;
      const y = s.y[k]!;
      if (!usable(x, logX) || !usable(y, logY)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(sx(x))} ${px(sy(y))} `;
      pen = true;
      dots.push(`<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="2.5"/>`);
    }
    out.push(`<g data-series="${escapeXml(s.name)}">`);
    // A lone 'M' draws nothing; single points are shown by their marker instead.
    if (d.includes('L')) {
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      out.push(
        `<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2"${dash} stroke-linejoin="round"/>`,
      );
    }
    if (s.markers || dots.length === 1) out.push(`<g fill="${color}">`, ...dots, '</g>');
    out.push('</g>');
  });
  out.push(
    ...legend(
      f,
      opts.series.map((s, i) => ({ name: s.name, color: seriesColor(i, s.color), dashed: s.dashed })),
    ),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
