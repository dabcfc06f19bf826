import { ArgumentError, OutOfRangeError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { checkXml } from '../../test/wellFormedXml.js';
import { type BarChartOptions, barChartSvg } from './barChart.js';

type Point = [number, number];

/** The attributes of one tag, entities left as written. */
const attrs = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

/**
 * The box each category label covers, as the four screen corners of its rotated rectangle: the
 * text spans 7 px per character along its baseline (12px sans-serif) and from 10 px above the
 * baseline to 3 px below it, rotated by the label's `transform` about its anchor.
 */
function categoryLabelBoxes(svg: string): { text: string; corners: Point[] }[] {
  const group = /<g [^>]*data-role="categories">\n([\s\S]*?)\n<\/g>/.exec(svg);
  if (!group) throw new Error('no category group in the SVG');
  return [...group[1]!.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map((m) => {
    const a = attrs(m[1]!);
    const text = m[2]!.replace(/&(lt|gt|amp|quot|apos);/g, '_');
    const x = Number(a.x);
    const y = Number(a.y);
    const w = text.length * 7;
    const u0 = a['text-anchor'] === 'end' ? -w : a['text-anchor'] === 'middle' ? -w / 2 : 0;
    const rot = /rotate\((-?[\d.]+) /.exec(a.transform ?? '');
    const r = ((rot ? Number(rot[1]) : 0) * Math.PI) / 180;
    const at = (u: number, v: number): Point => [
      x + u * Math.cos(r) - v * Math.sin(r),
      y + u * Math.sin(r) + v * Math.cos(r),
    ];
    return { text, corners: [at(u0, -10), at(u0 + w, -10), at(u0 + w, 3), at(u0, 3)] };
  });
}

/** Separating-axis test for two convex quadrilaterals; `gap` px of clearance are required. */
function overlap(a: Point[], b: Point[], gap: number): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < 4; i++) {
      const [x1, y1] = poly[i]!;
      const [x2, y2] = poly[(i + 1) % 4]!;
      const len = Math.hypot(x2 - x1, y2 - y1);
      const n: Point = [-(y2 - y1) / len, (x2 - x1) / len];
      const proj = (p: Point[]) => p.map(([x, y]) => x * n[0] + y * n[1]);
      const pa = proj(a);
      const pb = proj(b);
      if (Math.max(...pa) + gap <= Math.min(...pb) || Math.max(...pb) + gap <= Math.min(...pa)) return false;
    }
  }
  return true;
}

/** Every bar as {x, y, width, height}. */
const bars = (svg: string) =>
  [...svg.matchAll(/<g data-series="[^"]*" fill="[^"]*">\n([\s\S]*?)<\/g>/g)].flatMap((g) =>
    [...g[1]!.matchAll(/<rect ([^>]*)\/>/g)].map((m) => {
      const a = attrs(m[1]!);
      return { x: Number(a.x), y: Number(a.y), width: Number(a.width), height: Number(a.height) };
    }),
  );

const svgSize = (svg: string) => {
  const a = attrs(/<svg [^>]*>/.exec(svg)![0]);
  return { width: Number(a.width), height: Number(a.height) };
};

/** The bench's devices suite as it reports it: seven simulators, times from 0.02 ms to 180 ms. */
const devices: BarChartOptions = {
  title: 'tenzo-bench devices: median time (ms, lower is better)',
  yLabel: 'ms',
  categories: [
    'slm-phase-matrix 64x64 batch 256',
    'mrr-weight-bank 64x64 batch 256',
    'mzi-clements 64x64 batch 256',
    'mzi-reck 64x64 batch 256',
    'matrix 64x64 batch 256',
    'low-rank r=8 64x64 batch 256',
    'slm-free-space 64x64 batch 256',
  ],
  series: [{ name: 'tenzo', values: [2.1, 0.9, 14.5, 15.2, 0.31, 0.02, 180] }],
};

function expectReadable(svg: string, nBars: number) {
  expect(checkXml(svg).errors).toEqual([]);
  const boxes = categoryLabelBoxes(svg);
  const { width, height } = svgSize(svg);
  for (let i = 0; i < boxes.length; i++) {
    for (const [x, y] of boxes[i]!.corners) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(width);
      expect(y).toBeLessThanOrEqual(height);
    }
    for (let j = i + 1; j < boxes.length; j++) {
      expect(overlap(boxes[i]!.corners, boxes[j]!.corners, 2), `${boxes[i]!.text} / ${boxes[j]!.text}`).toBe(
        false,
      );
    }
  }
  const rects = bars(svg);
  expect(rects).toHaveLength(nBars);
  for (const r of rects) expect(r.height).toBeGreaterThanOrEqual(4);
  return { boxes, rects };
}

describe('barChartSvg layout', () => {
  it('draws the devices chart on a log axis with rotated labels that do not overlap', () => {
    const svg = barChartSvg(devices);
    const { boxes } = expectReadable(svg, 7);
    expect(svg).toContain('ms (log scale)');
    expect(svg).toContain('>0.01</text>');
    expect(svg).toContain('>1000</text>');
    // every label slanted (the widest, 32 characters, cannot fit a 79 px group), and the SVG
    // grown under the plot to hold them
    expect(svg.match(/<text [^>]*transform="rotate\(-45 /g)).toHaveLength(boxes.length);
    expect(svgSize(svg).height).toBeGreaterThan(440);
  });

  it('would have overlapped without rotation (the check can fail)', () => {
    const svg = barChartSvg(devices).replace(/ transform="rotate\([^"]*\)"/g, '');
    const boxes = categoryLabelBoxes(svg);
    expect(overlap(boxes[0]!.corners, boxes[1]!.corners, 2)).toBe(true);
  });

  it('keeps short labels horizontal and a linear axis from 0 when values span ≤ 30×', () => {
    const svg = barChartSvg({
      title: 't',
      yLabel: 'ms',
      categories: ['a', 'b', 'c'],
      series: [
        { name: 'x', values: [3, 30, 50] },
        { name: 'y', values: [2, 20, 60] },
      ],
    });
    expectReadable(svg, 6);
    expect(svg).not.toContain('rotate(-45');
    expect(svg).not.toContain('log scale');
    expect(svg).toContain('>0</text>');
    expect(svgSize(svg)).toEqual({ width: 720, height: 440 });
  });

  it('turns labels vertical and widens the SVG for many narrow groups', () => {
    const categories = Array.from({ length: 60 }, (_, i) => `case number ${i}`);
    const values = categories.map((_, i) => 1 + i);
    const svg = barChartSvg({ title: 't', yLabel: 'ms', categories, series: [{ name: 's', values }] });
    expectReadable(svg, 60);
    expect(svg).toContain('rotate(-90 ');
    expect(svgSize(svg).width).toBeGreaterThan(720);
  });

  it('gives a value just above a decade a visible bar, and a linear axis when asked', () => {
    const svg = barChartSvg({
      title: 't',
      yLabel: 'ms',
      categories: ['a', 'b'],
      series: [{ name: 's', values: [1.001, 5000] }],
    });
    expectReadable(svg, 2);
    const linear = barChartSvg({
      title: 't',
      yLabel: 'ms',
      categories: ['a', 'b'],
      series: [{ name: 's', values: [1.001, 5000] }],
      scale: 'linear',
    });
    expect(linear).not.toContain('log scale');
    expect(Math.min(...bars(linear).map((r) => r.height))).toBeLessThan(1);
  });

  it('rejects a log axis for values ≤ 0 and an unknown scale', () => {
    const opts = {
      title: 't',
      yLabel: 'ms',
      categories: ['a', 'b'],
      series: [{ name: 's', values: [0, 5] }],
    };
    expect(() => barChartSvg({ ...opts, scale: 'log' })).toThrow(OutOfRangeError);
    expect(() => barChartSvg({ ...opts, scale: 'cubic' as never })).toThrow(ArgumentError);
    // zero among the values: auto stays linear
    expect(barChartSvg(opts)).not.toContain('log scale');
  });
});
