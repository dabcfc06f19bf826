import { ArgumentError, checkArray, checkInt, checkNumbers, checkObject } from '@tenzo/core';
import { escapeXml } from './escape.js';
import { frameFor, legend, px, svgOpen } from './frame.js';
import { seriesColor } from './palette.js';
import { linearAxis, tickLabel } from './ticks.js';

export interface BarSeries {
  name: string;
  /** one value per category */
  values: ArrayLike<number>;
  color?: string;
}

export interface BarChartOptions {
  title: string;
  xLabel?: string;
  yLabel: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  width?: number;
  height?: number;
}

/**
 * A grouped bar chart (one group per category, one bar per series) as a self-contained SVG;
 * the value axis always includes 0 so bar lengths compare honestly. Non-finite values draw no bar.
 *
 * ```ts
 * barChartSvg({ title: 'matmul 512³', yLabel: 'ms', categories: ['f32', 'f64'],
 *   series: [{ name: 'tenzo', values: [12, 30] }, { name: 'tfjs', values: [10, 41] }] });
 * ```
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
  const width = checkInt('width', opts.width ?? 720, { min: 200 });
  const height = checkInt('height', opts.height ?? 440, { min: 150 });
  const nc = opts.categories.length;
  const vals: number[] = [0];
  opts.series.forEach((s, i) => {
    if (s.values.length !== nc) {
      throw new ArgumentError(
        `series[${i}] '${s.name}': expected ${nc} values (one per category), got ${s.values.length}`,
      );
    }
    for (let k = 0; k < nc; k++) if (Number.isFinite(s.values[k]!)) vals.push(s.values[k]!);
  });
  const ay = linearAxis(Math.min(...vals), Math.max(...vals));
  const f = frameFor(
    width,
    height,
    opts.series.map((s) => s.name),
  );
  const sy = (v: number) =>
    f.bottom - ((v - ay.domain[0]) / (ay.domain[1] - ay.domain[0])) * (f.bottom - f.top);
  const groupW = (f.right - f.left) / Math.max(nc, 1);
  const barW = (groupW * 0.8) / Math.max(opts.series.length, 1);

  const out = svgOpen(f, opts.title, opts.xLabel ?? '', opts.yLabel);
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
  opts.categories.forEach((c, k) => {
    out.push(
      `<text x="${px(f.left + (k + 0.5) * groupW)}" y="${f.bottom + 18}" text-anchor="middle">${escapeXml(c)}</text>`,
    );
  });
  out.push('</g>');
  opts.series.forEach((s, i) => {
    out.push(`<g data-series="${escapeXml(s.name)}" fill="${escapeXml(seriesColor(i, s.color))}">`);
    for (let k = 0; k < nc; k++) {
      const v = s.values[k]!;
      if (!Number.isFinite(v)) continue;
      const x = f.left + k * groupW + groupW * 0.1 + i * barW;
      const y0 = sy(Math.max(v, 0));
      out.push(
        `<rect x="${px(x)}" y="${px(y0)}" width="${px(barW)}" height="${px(Math.abs(sy(v) - sy(0)))}"/>`,
      );
    }
    out.push('</g>');
  });
  out.push(`<line x1="${f.left}" y1="${px(sy(0))}" x2="${f.right}" y2="${px(sy(0))}" stroke="#333333"/>`);
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
