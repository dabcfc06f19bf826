import { Rng } from '@tenzo/core';
import { Adam, crossEntropy, Linear, ReLU, Sequential } from '@tenzo/nn';
import { fromTypedArray } from '@tenzo/tensor';
import { type BenchRow, measure, type SuiteContext } from '../harness.js';
import { gpuImpl, onBackend, TENZO_CPU, tenzoGpu } from '../peers/tenzoBackends.js';
import { useTfjsBackend } from '../peers/tfjs.js';

/**
 * Training kernels end to end. (1) One step of a 784-128-10 MLP on a batch of 64: forward,
 * softmax cross-entropy, backward, Adam update. (2) Softmax cross-entropy of [512, 1000] logits,
 * value and gradient. The same work in tenzo (each backend) and in tfjs (cpu and wasm).
 */
export async function mlpSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const push = (row: BenchRow) => {
    rows.push(row);
    ctx.onRow?.(row);
  };
  const opts = ctx.quick
    ? { warmup: 1, minSamples: 2, minTimeMs: 0 }
    : { warmup: 5, minSamples: 20, minTimeMs: 1000 };
  const gpu = await tenzoGpu();
  const tenzoBackends = [...TENZO_CPU, { impl: '', backend: gpu.name }];
  const implOf = (t: (typeof tenzoBackends)[number]) => (t.backend === gpu.name ? gpuImpl(gpu) : t.impl);

  // (1) MLP training step
  const [din, hidden, classes, batch] = [784, 128, 10, 64];
  const rng = new Rng(ctx.seed);
  const x = rng.fillNormal(new Float32Array(batch * din)) as Float32Array;
  const labels = Int32Array.from({ length: batch }, () => rng.int(classes));
  const stepCase = { suite: 'mlp', case: `step ${din}-${hidden}-${classes} batch ${batch}` };
  const tx = fromTypedArray(x, [batch, din]);
  for (const t of tenzoBackends) {
    const net = new Sequential(new Linear(din, hidden, rng), new ReLU(), new Linear(hidden, classes, rng));
    const opt = new Adam(net.parameters(), { lr: 1e-3 });
    const step = () => {
      opt.zeroGrad();
      crossEntropy(net.forward(tx), labels).backward();
      opt.step();
    };
    const m = await measure(onBackend(t.backend, step), opts);
    push({ ...stepCase, impl: implOf(t), ...m });
  }
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
    push({ ...stepCase, impl: `tfjs-${backend}`, ...m });
  }

  // (2) softmax cross-entropy, loss and d loss / d logits
  const [rowsN, cols] = ctx.quick ? [16, 10] : [512, 1000];
  const logitsData = rng.fillNormal(new Float32Array(rowsN * cols)) as Float32Array;
  const targets = Int32Array.from({ length: rowsN }, () => rng.int(cols));
  const lossCase = { suite: 'mlp', case: `softmax+CE ${rowsN}×${cols} fwd+bwd` };
  for (const t of tenzoBackends) {
    const logits = fromTypedArray(logitsData, [rowsN, cols]).setRequiresGrad();
    const run = () => {
      logits.zeroGrad();
      crossEntropy(logits, targets).backward();
      return logits.grad!.data;
    };
    const m = await measure(onBackend(t.backend, run), opts);
    push({ ...lossCase, impl: implOf(t), ...m });
  }
  for (const backend of ['cpu', 'wasm'] as const) {
    const tf = await useTfjsBackend(backend);
    const lg = tf.tensor2d(logitsData, [rowsN, cols]);
    const ys = tf.oneHot(tf.tensor1d(targets, 'int32'), cols);
    const grad = tf.grad((z: import('@tensorflow/tfjs-core').Tensor) =>
      tf.mean(tf.neg(tf.sum(tf.mul(ys, tf.logSoftmax(z)), 1))),
    );
    // no tf.tidy (it slows tfjs-wasm down many times, see matmul.ts); tf.grad frees its own
    // intermediates, the gradient is disposed explicitly
    const m = await measure(() => {
      const g = grad(lg);
      g.dataSync();
      g.dispose();
    }, opts);
    tf.dispose([lg, ys]);
    push({ ...lossCase, impl: `tfjs-${backend}`, ...m });
  }
  return rows;
}
