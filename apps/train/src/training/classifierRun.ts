import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { progressBar } from '@tenzo/cli/node';
import { type Batch, batchCount, batches, type Dataset, type Labels } from '@tenzo/data';
import { type FitClassifierOptions, fitClassifier } from '@tenzo/train';
import { fileCheckpoint } from '@tenzo/train/node';

// The composition the classifier commands (mnist, audio) share: @tenzo/train's fitClassifier on a
// dataset with checkpoints under --out (its table and files: @tenzo/train/node's epochTable and
// writeClassifierFiles).

/**
 * Trains on `train` in batches of `batchSize` (`@tenzo/data`'s batches) with `fitClassifier`,
 * checkpointing in `<out>/checkpoint.safetensors` (resumed with `resume`), progress bars on stderr.
 */
export function trainClassifier(
  o: Omit<FitClassifierOptions<Batch<Labels>>, 'stepsPerEpoch' | 'batches' | 'checkpoint' | 'bar' | 'log'> & {
    train: Dataset;
    batchSize: number;
    /** skip a final batch smaller than batchSize (BatchNorm cannot take one clip) */
    dropLast?: boolean;
    out: string;
  },
) {
  const { train, batchSize, dropLast = false, out, ...rest } = o;
  const path = join(out, 'checkpoint.safetensors');
  if (o.resume && !existsSync(path)) console.error(`no checkpoint at ${path}; starting fresh`);
  return fitClassifier({
    ...rest,
    stepsPerEpoch: batchCount(train.n, batchSize, dropLast),
    batches: (_epoch, rng) => batches(train, { batchSize, rng, dropLast }),
    checkpoint: fileCheckpoint(path),
    bar: (label, total) => progressBar({ label, total, unit: 'steps' }),
    log: (line) => console.error(`${path}: ${line}`),
  });
}
