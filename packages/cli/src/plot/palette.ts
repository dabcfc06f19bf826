/**
 * Okabe–Ito colours: distinguishable under the common colour-vision deficiencies, which
 * matters when curves are compared by colour alone.
 */
export const palette = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

export function seriesColor(i: number, color?: string): string {
  return color ?? palette[i % palette.length]!;
}
