// The bag-of-frames baseline quoted in the README's "Spoken keywords" table: mean and standard
// deviation over time of 40 log-mel bands and their deltas (160 values per clip, standardised
// with training statistics), softmax regression by SGD, accuracy on the held-out voices.
// Run from the repository root: npx -y tsx --conditions=@tenzo/source apps/train/scripts/keyword-baseline.ts
import { loadEspeakKeywords } from '../src/audio/espeak.js';

const t0 = performance.now();
const ds = await loadEspeakKeywords({ seed: 0, cmvn: 'none', deltaOrder: 1 });
console.log(JSON.stringify({ ...ds.audio.info, loadSeconds: (performance.now() - t0) / 1000 }));
console.log(ds.source);

const T = ds.frames;
const F = ds.features;
const d = 2 * F;
const K = ds.classNames.length;

/** [n, 2F]: per-channel mean and std over the frames of each clip. */
function pool(x: Float32Array, n: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < F; f++) {
      let s = 0;
      let q = 0;
      for (let t = 0; t < T; t++) {
        const v = x[(i * T + t) * F + f]!;
        s += v;
        q += v * v;
      }
      const m = s / T;
      out[i * d + f] = m;
      out[i * d + F + f] = Math.sqrt(Math.max(0, q / T - m * m));
    }
  }
  return out;
}

const xTrain = pool(ds.train.x, ds.train.n);
const xTest = pool(ds.test.x, ds.test.n);
const mean = new Float64Array(d);
const std = new Float64Array(d);
for (let i = 0; i < ds.train.n; i++) for (let j = 0; j < d; j++) mean[j]! += xTrain[i * d + j]! / ds.train.n;
for (let i = 0; i < ds.train.n; i++)
  for (let j = 0; j < d; j++) std[j]! += (xTrain[i * d + j]! - mean[j]!) ** 2 / ds.train.n;
for (const x of [xTrain, xTest]) {
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean[i % d]!) / Math.sqrt(std[i % d]! + 1e-8);
}

const W = new Float64Array(K * (d + 1)); // [K, d + 1], last column the bias
const z = new Float64Array(K);
function logits(x: Float64Array, i: number): void {
  for (let k = 0; k < K; k++) {
    let s = W[k * (d + 1) + d]!;
    for (let j = 0; j < d; j++) s += W[k * (d + 1) + j]! * x[i * d + j]!;
    z[k] = s;
  }
}
function accuracy(x: Float64Array, y: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    logits(x, i);
    let best = 0;
    for (let k = 1; k < K; k++) if (z[k]! > z[best]!) best = k;
    if (best === y[i]) correct++;
  }
  return correct / y.length;
}
for (let epoch = 0; epoch < 40; epoch++) {
  const lr = 0.02 / (1 + epoch / 10);
  for (let i = 0; i < ds.train.n; i++) {
    logits(xTrain, i);
    const max = Math.max(...z);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
    for (let k = 0; k < K; k++) {
      const g = z[k]! / sum - (k === ds.train.labels[i] ? 1 : 0);
      for (let j = 0; j < d; j++)
        W[k * (d + 1) + j]! -= lr * (g * xTrain[i * d + j]! + 1e-3 * W[k * (d + 1) + j]!);
      W[k * (d + 1) + d]! -= lr * g;
    }
  }
}
console.log(
  `bag-of-frames softmax: train ${(100 * accuracy(xTrain, ds.train.labels)).toFixed(1)}%, ` +
    `test (unseen voices) ${(100 * accuracy(xTest, ds.test.labels)).toFixed(1)}%`,
);
