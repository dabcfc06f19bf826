import { getBackend, isWasmSimdAvailable } from '@tenzo/tensor';
import {
  type DemoResults,
  runDemo,
  type StepInfo,
  type TrainingResults,
  type TrainingVariant,
} from './demo.js';

/** What the page exposes on `window.tenzoDemo` (read by test/browser.test.ts). */
export interface PageState {
  status: 'running' | 'done' | 'error';
  /** ms spent waiting for the WebAssembly kernels to compile before training */
  wasmWaitMs: number;
  results: DemoResults | null;
  error: string | null;
}

declare global {
  interface Window {
    tenzoDemo: PageState;
  }
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = 32;
const SVG_NS = 'http://www.w3.org/2000/svg';
/** how long to wait for the asynchronous WebAssembly compile before training without it */
const WASM_WAIT_MS = 3000;

const state: PageState = { status: 'running', wasmWaitMs: 0, results: null, error: null };
window.tenzoDemo = state;

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`page: #${id} is missing`);
  return el;
}

function svgEl(name: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * A browser compiles a module over 4 KB only asynchronously on the main thread, so the first
 * products would run on the TypeScript kernels; wait (bounded) until the WebAssembly ones are in.
 */
async function waitForWasm(): Promise<number> {
  const t0 = performance.now();
  while (!isWasmSimdAvailable() && performance.now() - t0 < WASM_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - t0;
}

/** One curve per training: steps on x (0..total−1), loss on y from 0 to the largest loss seen. */
function plotLoss(svg: SVGElement, series: Record<TrainingVariant, number[]>, total: number): void {
  svg.replaceChildren();
  const top = Math.max(...series.portable, ...series.slm);
  const x = (i: number) => PAD + (i / Math.max(1, total - 1)) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD);
  svg.append(
    svgEl('line', { class: 'axis', x1: PAD, y1: HEIGHT - PAD, x2: WIDTH - PAD, y2: HEIGHT - PAD }),
    svgEl('line', { class: 'axis', x1: PAD, y1: PAD, x2: PAD, y2: HEIGHT - PAD }),
  );
  for (const variant of ['portable', 'slm'] as const) {
    svg.append(
      svgEl('polyline', {
        class: `curve ${variant}`,
        points: series[variant].map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
      }),
    );
  }
  const label = (text: string, attrs: Record<string, string | number>) => {
    const t = svgEl('text', attrs);
    t.textContent = text;
    svg.append(t);
  };
  label(top.toFixed(2), { x: 2, y: PAD + 4 });
  label('0', { x: PAD - 12, y: HEIGHT - PAD + 4 });
  label(`step ${total}`, { x: WIDTH - PAD - 40, y: HEIGHT - PAD + 16 });
  label('MSE per batch', { x: PAD + 6, y: PAD - 8 });
  label('matrix device, ZO (portable)', { x: WIDTH - PAD - 180, y: PAD + 12, class: 'portable' });
  label('SLM, ZO + rank-4 surrogate', { x: WIDTH - PAD - 180, y: PAD + 28, class: 'slm' });
}

/** One line of text about a finished training. */
function describeTraining(name: string, r: TrainingResults): string {
  return `${name}: batch loss ${r.losses[0]!.toFixed(4)} → ${r.losses.at(-1)!.toFixed(4)}, MSE on all 256 samples ${r.initialLoss.toFixed(4)} → ${r.finalLoss.toFixed(4)}, weights FNV-1a ${r.weightsChecksum}`;
}

async function main(): Promise<void> {
  state.wasmWaitMs = await waitForWasm();
  const kernel = isWasmSimdAvailable() ? 'WebAssembly SIMD' : 'TypeScript (WebAssembly unavailable)';
  byId('kernel').textContent =
    `@tenzo/tensor backend '${getBackend()}', matrix products on ${kernel} (waited ${state.wasmWaitMs.toFixed(0)} ms)`;
  const svg = byId('loss') as unknown as SVGElement;
  const train = byId('train');
  const series: Record<TrainingVariant, number[]> = { portable: [], slm: [] };
  const steps = 40;
  const results = await runDemo({ steps }, async ({ variant, step, loss }: StepInfo) => {
    series[variant].push(loss);
    plotLoss(svg, series, steps);
    train.textContent = `${variant}: step ${step + 1}/${steps}, loss ${loss.toFixed(4)}`;
    // let the browser paint the curve between steps
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  train.textContent = `${describeTraining('matrix device', results.portable)}. ${describeTraining('SLM', results.slm)}.`;
  const h = results.htbb;
  byId('htbb').textContent =
    `${h.fn}, d = ${h.d}, 8 points per axis: ${h.evaluations} evaluations, relative L2 error ${h.error.toExponential(3)} on 1,000 random points`;
  state.results = results;
  state.status = 'done';
}

main().catch((e: unknown) => {
  state.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  state.status = 'error';
  byId('train').textContent = `failed: ${state.error}`;
});
