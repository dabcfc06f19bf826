import { Rng } from '@tenzo/core';
import { Adam, crossEntropy, Linear, ReLU, Sequential } from '@tenzo/nn';
import { fromTypedArray, getBackend } from '@tenzo/tensor';
import { type BenchRow, measure, type SuiteContext } from '../harness.js';
import { useTfjsBackend } from '../peers/tfjs.js';

/**
 * One training step of a 784-128-10 MLP on a batch of 64: forward, softmax cross-entropy,
 * backward, Adam update — the same work in tenzo and in tfjs (cpu and wasm backends).
 */
export async function mlpSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const [din, hidden, classes, batch] = [784, 128, 10, 64];
  const rng = new Rng(ctx.seed);
  const x = rng.fillNormal(new Float32Array(batch * din)) as Float32Array;
  const labels = Int32Array.from({ length: batch }, () => rng.int(classes));
  const opts = ctx.quick
    ? { warmup: 1, minSamples: 2, minTimeMs: 0 }
    : { warmup: 5, minSamples: 20, minTimeMs: 1000 };
  const caseName = `step ${din}-${hidden}-${classes} batch ${batch}`;
  const rows: BenchRow[] = [];
  const push = (row: BenchRow) => {
    rows.push(row);
    ctx.onRow?.(row);
  };

  const net = new Sequential(new Linear(din, hidden, rng), new ReLU(), new Linear(hidden, classes, rng));
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const tx = fromTypedArray(x, [batch, din]);
  const tenzoStep = () => {
    opt.zeroGrad();
    crossEntropy(net.forward(tx), labels).backward();
    opt.step();
  };
  push({
    suite: 'mlp',
    case: caseName,
    impl: 'tenzo',
    ...(await measure(tenzoStep, opts)),
    note: `backend ${getBackend()}`,
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    const tf = await useTfjsBackend(backend);
    const w1 = tf.variable(tf.randomUniform([din, hidden], -0.05, 0.05, 'float32', ctx.seed));
    const b1 = tf.variable(tf.zeros([hidden]));
    const w2 = tf.variable(tf.randomUniform([hidden, classes], -0.05, 0.05, 'float32', ctx.seed + 1));
    const b2 = tf.variable(tf.zeros([classes]));
    const xs = tf.tensor2d(x, [batch, din]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    const tfOpt = tf.train.adam(1e-3);
    const step = () => {
      const loss = tfOpt.minimize(() => {
        const h = tf.relu(tf.add(tf.matMul(xs, w1), b1));
        const logits = tf.add(tf.matMul(h, w2), b2);
        return tf.mean(
          tf.neg(tf.sum(tf.mul(ys, tf.logSoftmax(logits)), 1)),
        ) as import('@tensorflow/tfjs-core').Scalar;
      }, true);
      loss?.dataSync();
      loss?.dispose();
    };
    const m = await measure(step, opts);
    tf.dispose([w1, b1, w2, b2, xs, ys]);
    tfOpt.dispose();
    push({ suite: 'mlp', case: caseName, impl: `tfjs-${backend}`, ...m });
  }
  return rows;
}
