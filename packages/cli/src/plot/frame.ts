import { escapeXml } from './escape.js';

/** Pixel layout shared by the charts. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Rounded coordinates keep SVGs small and diff-friendly. */
export const px = (v: number): string => String(Math.round(v * 100) / 100);

/** A rough width of text in 12px sans-serif, enough to reserve legend space. */
export const textWidth = (s: string): number => s.length * 7;

export function frameFor(width: number, height: number, legendNames: readonly string[]): Frame {
  const legend = legendNames.length ? Math.max(...legendNames.map(textWidth)) + 48 : 16;
  return { width, height, left: 72, right: width - legend, top: 40, bottom: height - 52 };
}

/** Opening tag, white background (readable in dark-mode viewers), title and axis labels. */
export function svgOpen(f: Frame, title: string, xLabel: string, yLabel: string): string[] {
  const cx = (f.left + f.right) / 2;
  const cy = (f.top + f.bottom) / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${f.width}" height="${f.height}" fill="#ffffff"/>`,
    `<text x="${px(cx)}" y="24" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="${px(cx)}" y="${f.height - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="18" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 18 ${px(cy)})">${escapeXml(yLabel)}</text>`,
  ];
}

export interface LegendEntry {
  name: string;
  color: string;
  dashed?: boolean | undefined;
  /** draw a filled square (bars) instead of a line */
  swatch?: boolean;
}

export function legend(f: Frame, entries: readonly LegendEntry[]): string[] {
  const out: string[] = [];
  entries.forEach((e, i) => {
    const y = f.top + 8 + i * 20;
    const x = f.right + 16;
    const color = escapeXml(e.color);
    out.push(
      e.swatch
        ? `<rect x="${x}" y="${y - 6}" width="20" height="12" fill="${color}"/>`
        : `<line x1="${x}" y1="${y}" x2="${x + 20}" y2="${y}" stroke="${color}" stroke-width="2"${e.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${x + 26}" y="${y + 4}">${escapeXml(e.name)}</text>`,
    );
  });
  return out;
}
