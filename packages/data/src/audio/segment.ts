/** [start, end) sample ranges of the sounding parts of a synthesized utterance. */
export type Segment = [start: number, end: number];

/**
 * Splits a clean synthetic utterance at pauses: 10 ms windows whose RMS is below
 * `relThreshold` × the loudest window's RMS count as silence, and a run of silence of at least
 * `minGapSec` ends a segment. Synthetic speech has no background, so the SSML breaks placed
 * between keywords (≥ 0.7 s) separate cleanly, while a stop closure inside a word (< 0.15 s)
 * does not split it. Edges are the first and last loud windows, so leading and trailing
 * silence are trimmed.
 */
export function soundingSegments(
  x: Float32Array,
  sampleRate: number,
  minGapSec = 0.3,
  relThreshold = 2e-3,
): Segment[] {
  const win = Math.max(1, Math.round(sampleRate / 100));
  const nWin = Math.ceil(x.length / win);
  const rms = new Float64Array(nWin);
  let peak = 0;
  for (let w = 0; w < nWin; w++) {
    let s = 0;
    const end = Math.min(x.length, (w + 1) * win);
    for (let i = w * win; i < end; i++) s += x[i]! * x[i]!;
    rms[w] = Math.sqrt(s / (end - w * win));
    peak = Math.max(peak, rms[w]!);
  }
  if (peak === 0) return [];
  const thr = peak * relThreshold;
  const minGap = Math.ceil((minGapSec * sampleRate) / win);
  const segments: Segment[] = [];
  let start = -1;
  let last = -1;
  for (let w = 0; w < nWin; w++) {
    if (rms[w]! <= thr) continue;
    if (start < 0) start = w;
    else if (w - last - 1 >= minGap) {
      segments.push([start * win, Math.min(x.length, (last + 1) * win)]);
      start = w;
    }
    last = w;
  }
  if (start >= 0) segments.push([start * win, Math.min(x.length, (last + 1) * win)]);
  return segments;
}
