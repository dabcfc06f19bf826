import { ArgumentError } from '@tenzo/core';
import { describe, expect, it } from 'vitest';
import { checkXml } from '../../test/wellFormedXml.js';
import { barChartSvg } from './barChart.js';
import { escapeXml } from './escape.js';
import { linePlotSvg } from './linePlot.js';
import { linearAxis, logAxis, tickLabel } from './ticks.js';

describe('the XML checker itself', () => {
  it('rejects malformed documents', () => {
    expect(checkXml('<svg><g></svg>').errors.length).toBeGreaterThan(0);
    expect(checkXml('<svg><text>a < b</text></svg>').errors[0]).toMatch(/^bad tag/);
    expect(checkXml('<svg><text a="x<y"/></svg>').errors.length).toBeGreaterThan(0);
    expect(checkXml('<svg a="1" a="2"/>').errors).toContain('duplicate attribute a on <svg>');
    expect(checkXml('<svg><text>R&D</text></svg>').errors.length).toBe(1);
    expect(checkXml('<svg a=1/>').errors.length).toBe(1);
    expect(checkXml('<svg><g/></svg>').errors).toEqual([]);
  });
});

describe('ticks', () => {
  it('are nice 1-2-5 multiples covering the data', () => {
    expect(linearAxis(0.03, 0.97)).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(linearAxis(-3, 47).ticks).toEqual([-10, 0, 10, 20, 30, 40, 50]);
    expect(linearAxis(5, 5).domain[0]).toBeLessThan(5);
    expect(logAxis(3e-4, 2)).toEqual({ domain: [1e-4, 10], ticks: [1e-4, 1e-3, 1e-2, 1e-1, 1, 10] });
    expect(tickLabel(1e-6)).toBe('1e-6');
    expect(tickLabel(0.30000000000000004)).toBe('0.3');
  });
});

describe('linePlotSvg', () => {
  const svg = linePlotSvg({
    title: 'Loss <train> & "test"',
    xLabel: 'step',
    yLabel: 'loss',
    logY: true,
    series: [
      { name: 'train', x: [1, 2, 3, 4], y: [2.3, 0.9, Number.NaN, 0.2] },
      { name: "Adam's ref", x: [1, 4], y: [1, 1], dashed: true, color: '#888' },
      { name: 'single', x: [2], y: [0.5] },
    ],
  });

  it('is well-formed XML with escaped text', () => {
    const { errors, elements } = checkXml(svg);
    expect(errors).toEqual([]);
    expect(elements[0]).toBe('svg');
    expect(svg).toContain('Loss &lt;train&gt; &amp; &quot;test&quot;');
    expect(svg).toContain('Adam&apos;s ref');
  });

  it('contains every series, a dashed reference, a legend and log ticks', () => {
    expect(svg.match(/data-series="/g)).toHaveLength(3);
    expect(svg).toContain('stroke-dasharray="6 4"');
    // the NaN breaks the train line into two subpaths
    const train = /data-series="train">\n<path d="([^"]+)"/.exec(svg)![1]!;
    expect(train.match(/M/g)).toHaveLength(2);
    expect(train.match(/L/g)).toHaveLength(1);
    // a single point still shows as a marker
    expect(svg).toMatch(/data-series="single">\n<g fill="#[0-9A-F]+">\n<circle/);
    for (const label of ['>0.1<', '>1<', '>10<']) expect(svg).toContain(label);
    expect(svg).toContain('>train</text>');
  });

  it('rejects series with mismatched lengths', () => {
    expect(() =>
      linePlotSvg({ title: '', xLabel: '', yLabel: '', series: [{ name: 'a', x: [1, 2], y: [1] }] }),
    ).toThrow(ArgumentError);
  });
});

describe('barChartSvg', () => {
  it('is well-formed, draws one bar per finite value and includes 0', () => {
    const svg = barChartSvg({
      title: 'matmul',
      yLabel: 'ms',
      categories: ['f32 <512>', 'f64'],
      series: [
        { name: 'tenzo', values: [12, 30] },
        { name: 'tfjs', values: [10, Number.NaN] },
      ],
    });
    expect(checkXml(svg).errors).toEqual([]);
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+"\/>/g)).toHaveLength(3);
    expect(svg).toContain('f32 &lt;512&gt;');
    expect(svg).toContain('>0</text>');
  });
});

describe('escapeXml', () => {
  it('escapes markup and strips control characters', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
