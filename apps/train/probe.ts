import { Rng } from '@tenzo/core';
import { augmentBatch, batches, fitNormalization, normalize, subset, trainSplit } from '@tenzo/data';
import { loadMnist } from '@tenzo/data/node';
import { AdamW, cosineLR, crossEntropy } from '@tenzo/nn';
import { fromTypedArray, noGrad } from '@tenzo/tensor';
import { buildMlp } from './src/training/mlp.ts';

const t0 = performance.now();
const mnist = loadMnist();
console.log('load', (performance.now() - t0).toFixed(0), 'ms');
const split = trainSplit(mnist.labels, { seed: 0 });
const train = subset(mnist, split.train);
const test = subset(mnist, split.test);
const stats = fitNormalization(train.images, 784);
const testX = fromTypedArray(normalize(test.images, stats), [test.n, 784]);
const hidden = (process.env.H ?? '256,256').split(',').map(Number);
const epochs = Number(process.env.E ?? 3);
const rng = new Rng(0);
const net = buildMlp(
  { inputs: 784, hidden, outputs: 10, dropout: Number(process.env.DROP ?? 0.2) },
  rng,
  rng.fork(),
);
const opt = new AdamW(net.parameters(), { lr: 1e-3, weightDecay: Number(process.env.WD ?? 0.05) });
const steps = epochs * Math.ceil(train.n / 64);
const sched = cosineLR({ lr: Number(process.env.LR ?? 2e-3), totalSteps: steps });
const orderRng = rng.fork();
const augRng = rng.fork();
const rot = Number(process.env.ROT ?? 10);
for (let e = 0; e < epochs; e++) {
  const te = performance.now();
  net.train();
  let loss = 0;
  let nb = 0;
  for (const b of batches(train, { batchSize: 64, rng: orderRng })) {
    const xa = augmentBatch(b.x, {
      height: 28,
      width: 28,
      rng: augRng,
      maxShift: 2,
      maxRotationDeg: rot,
      maxScale: rot > 0 ? 0.1 : 0,
    });
    const x = fromTypedArray(normalize(xa, stats), [b.size, 784]);
    opt.lr = sched(opt.stepCount);
    opt.zeroGrad();
    const l = crossEntropy(net.forward(x), b.y, { labelSmoothing: Number(process.env.LS ?? 0.1) });
    l.backward();
    opt.step();
    loss += l.item();
    nb++;
  }
  net.eval();
  const acc = noGrad(() => {
    const pred = net.forward(testX).argmax(1).data;
    let c = 0;
    for (let i = 0; i < test.n; i++) if (pred[i] === test.labels[i]) c++;
    return c / test.n;
  });
  console.log(
    `epoch ${e + 1} loss ${(loss / nb).toFixed(4)} test ${(acc * 100).toFixed(2)}% ${((performance.now() - te) / 1000).toFixed(1)}s`,
  );
}
