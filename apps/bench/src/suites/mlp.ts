import { Rng } from '@tenzo/core';
import { Adam, crossEntropy, Linear, ReLU, Sequential } from '@tenzo/nn';
import { fromTypedArray } from '@tenzo/tensor';
import {
  type BenchRow,
  type Implementation,
  interleavedRows,
  measureInterleaved,
  type SuiteContext,
} from '../harness.js';
import { GPU_PENDING, onBackend, TENZO_CPU, tenzoGpu, withGpuMode } from '../peers/tenzoBackends.js';
import { useTfjsBackend } from '../peers/tfjs.js';

type Tf = Awaited<ReturnType<typeof useTfjsBackend>>;

/**
 * Training kernels end to end. (1) One step of a 784-128-10 MLP on a batch of 64: forward,
 * softmax cross-entropy, backward, Adam update. (2) Softmax cross-entropy of [512, 1000] logits,
 * value and gradient. The same work in tenzo (each backend) and in tfjs (cpu and wasm), the
 * implementations of each case in interleaved rounds. Each tfjs backend gets its own tensors,
 * made while it is active, and is switched to (untimed) before each of its calls.
 */
export async function mlpSuite(ctx: SuiteContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const opts = ctx.quick
    ? { warmup: 1, minRounds: 2, minTimeMs: 0 }
    : ctx.full
      ? { warmup: 5, minRounds: 30, minTimeMs: 3000 }
      : { warmup: 2, minRounds: 9, minTimeMs: 1000 };
  const gpu = await tenzoGpu();
  const tenzoBackends = [...TENZO_CPU, { impl: GPU_PENDING, backend: gpu.name }];
  const disposers: (() => void)[] = [];
  /** a tfjs implementation: `make` builds its state on `backend` and returns the timed call */
  const tfjsImpls = async (make: (tf: Tf) => () => void): Promise<Implementation[]> => {
    const out: Implementation[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      const run = make(await useTfjsBackend(backend));
      out.push({ name: `tfjs-${backend}`, prepare: () => useTfjsBackend(backend), run });
    }
    return out;
  };
  const measureCase = async (caseName: string, impls: Implementation[]) => {
    const result = await measureInterleaved(impls, opts);
    for (const row of interleavedRows(result, { suite: 'mlp', case: caseName }).map(withGpuMode(gpu))) {
      rows.push(row);
      ctx.onRow?.(row);
    }
  };

  // (1) MLP training step
  const [din, hidden, classes, batch] = [784, 128, 10, 64];
  const rng = new Rng(ctx.seed);
  const x = rng.fillNormal(new Float32Array(batch * din)) as Float32Array;
  const labels = Int32Array.from({ length: batch }, () => rng.int(classes));
  const tx = fromTypedArray(x, [batch, din]);
  const tenzoSteps: Implementation[] = tenzoBackends.map((t) => {
    const net = new Sequential(new Linear(din, hidden, rng), new ReLU(), new Linear(hidden, classes, rng));
    const opt = new Adam(net.parameters(), { lr: 1e-3 });
    const step = () => {
      opt.zeroGrad();
      crossEntropy(net.forward(tx), labels).backward();
      opt.step();
    };
    return { name: t.impl, run: onBackend(t.backend, step) };
  });
  const tfSteps = await tfjsImpls((tf) => {
    const w1 = tf.variable(tf.randomUniform([din, hidden], -0.05, 0.05, 'float32', ctx.seed));
    const b1 = tf.variable(tf.zeros([hidden]));
    const w2 = tf.variable(tf.randomUniform([hidden, classes], -0.05, 0.05, 'float32', ctx.seed + 1));
    const b2 = tf.variable(tf.zeros([classes]));
    const xs = tf.tensor2d(x, [batch, din]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    const tfOpt = tf.train.adam(1e-3);
    disposers.push(() => {
      tf.dispose([w1, b1, w2, b2, xs, ys]);
      tfOpt.dispose();
    });
    return () => {
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
  });
  await measureCase(`step ${din}-${hidden}-${classes} batch ${batch}`, [...tenzoSteps, ...tfSteps]);

  // (2) softmax cross-entropy, loss and d loss / d logits
  const [rowsN, cols] = ctx.quick ? [16, 10] : [512, 1000];
  const logitsData = rng.fillNormal(new Float32Array(rowsN * cols)) as Float32Array;
  const targets = Int32Array.from({ length: rowsN }, () => rng.int(cols));
  const tenzoLosses: Implementation[] = tenzoBackends.map((t) => {
    const logits = fromTypedArray(logitsData, [rowsN, cols]).setRequiresGrad();
    const run = () => {
      logits.zeroGrad();
      crossEntropy(logits, targets).backward();
      return logits.grad!.data;
    };
    return { name: t.impl, run: onBackend(t.backend, run) };
  });
  const tfLosses = await tfjsImpls((tf) => {
    const lg = tf.tensor2d(logitsData, [rowsN, cols]);
    const ys = tf.oneHot(tf.tensor1d(targets, 'int32'), cols);
    const grad = tf.grad((z: import('@tensorflow/tfjs-core').Tensor) =>
      tf.mean(tf.neg(tf.sum(tf.mul(ys, tf.logSoftmax(z)), 1))),
    );
    disposers.push(() => tf.dispose([lg, ys]));
    // no tf.tidy (it slows tfjs-wasm down many times, see matmul.ts); tf.grad frees its own
    // intermediates, the gradient is disposed explicitly
    return () => {
      const g = grad(lg);
      g.dataSync();
      g.dispose();
    };
  });
  await measureCase(`softmax+CE ${rowsN}×${cols} fwd+bwd`, [...tenzoLosses, ...tfLosses]);
  for (const dispose of disposers) dispose();
  return rows;
}
