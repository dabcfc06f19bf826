import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, checkObject, checkOneOf, checkString, describeValue, FormatError } from '@tenzo/core';
import type { ImageDataset } from '../dataset.js';
import { readChunks } from '../files/chunks.js';
import { fileSize, readUtf8 } from '../files/readFile.js';

/** Height of a CIFAR image in pixels: 32. */
export const CIFAR_HEIGHT = 32;
/** Width of a CIFAR image in pixels: 32. */
export const CIFAR_WIDTH = 32;
/** Colour channels of a CIFAR image (RGB): 3. */
export const CIFAR_CHANNELS = 3;
const PIXELS = CIFAR_HEIGHT * CIFAR_WIDTH;
const IMAGE_BYTES = PIXELS * CIFAR_CHANNELS;

/** The CIFAR-10 class names, in label order (as in `batches.meta.txt`). */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/**
 * Options of `loadCifar`: the binary version's folder, CIFAR-10 or CIFAR-100, the split, and for CIFAR-100
 * the fine (100) or coarse (20) labels.
 */
export interface LoadCifarOptions {
  /** the binary version's folder: `cifar-10-batches-bin` or `cifar-100-binary` */
  dir: string;
  variant: 10 | 100;
  split: 'train' | 'test';
  /** CIFAR-100 only: the 100 fine classes (default) or the 20 superclasses */
  labels?: 'fine' | 'coarse';
}

/**
 * CIFAR images n×(32·32·3), channels last ([n, H, W, C], the layout of tenzo's Conv2d), pixels
 * in [0, 1]; labels 0..classes−1. `ImageDataset` with `channels: 3`.
 */
export interface CifarDataset extends ImageDataset<Uint8Array> {
  channels: 3;
  /** class names in label order, `classNames.length` classes */
  classNames: string[];
  /** the files read, in order */
  files: string[];
}

/** The batch files of a split, as the binary versions name them. */
export function cifarFiles(variant: 10 | 100, split: 'train' | 'test'): string[] {
  if (variant !== 10 && variant !== 100)
    throw new ArgumentError(`cifarFiles: variant: expected 10 or 100, got ${describeValue(variant)}`);
  checkOneOf('cifarFiles: split', split, ['train', 'test'] as const);
  if (variant === 100) return [split === 'train' ? 'train.bin' : 'test.bin'];
  return split === 'train' ? [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`) : ['test_batch.bin'];
}

/**
 * Reads the CIFAR-10 or CIFAR-100 binary version (Krizhevsky 2009). A CIFAR-10 record is one
 * label byte and 3072 pixel bytes; a CIFAR-100 record a coarse and a fine label byte and 3072
 * pixel bytes; the pixels are stored plane by plane (1024 red in row-major order, then green,
 * then blue) and are transposed here to channels last. Files are read in chunks straight into the
 * result, so 50,000 images need the 614 MB Float32Array and a 4 MB buffer, not a second copy.
 * Every file's size must be a positive multiple of the record size and every label below the
 * class count (`FormatError` naming the file, the record, its byte offset and the value).
 * Class names come from `batches.meta.txt` (CIFAR-10) or `fine_label_names.txt` /
 * `coarse_label_names.txt` (CIFAR-100) when present — checked: one non-empty, distinct name per
 * class — else CIFAR-10's standard names or, for CIFAR-100, the label numbers as strings.
 *
 * ```ts
 * const train = loadCifar({ dir: 'cifar-10-batches-bin', variant: 10, split: 'train' });
 * // { images: Float32Array(50000·3072), labels: Uint8Array(50000), n, height: 32, width: 32, channels: 3, classNames }
 * ```
 */
export function loadCifar(opts: LoadCifarOptions): CifarDataset {
  const fn = 'loadCifar';
  checkObject(`${fn}: options`, opts);
  checkString(`${fn}: dir`, opts.dir);
  const variant = opts.variant;
  if (variant !== 10 && variant !== 100)
    throw new ArgumentError(`${fn}: variant: expected 10 or 100, got ${describeValue(variant)}`);
  const split = checkOneOf(`${fn}: split`, opts.split, ['train', 'test'] as const);
  const labelKind = checkOneOf(`${fn}: labels`, opts.labels ?? 'fine', ['fine', 'coarse'] as const);
  if (variant === 10 && opts.labels === 'coarse')
    throw new ArgumentError(`${fn}: labels: 'coarse' expected only with variant 100, got variant 10`);
  const labelBytes = variant === 10 ? 1 : 2;
  const record = labelBytes + IMAGE_BYTES;
  const labelAt = variant === 100 && labelKind === 'fine' ? 1 : 0;
  const classes = variant === 10 ? 10 : labelKind === 'fine' ? 100 : 20;
  const files = cifarFiles(variant, split).map((f) => join(opts.dir, f));
  const sizes = files.map((file) => {
    const size = fileSize(fn, file);
    if (size === 0 || size % record !== 0)
      throw new FormatError(
        `${fn}: ${file}: file size expected a positive multiple of the ${record}-byte CIFAR-${variant} record, got ${size} bytes`,
      );
    return size;
  });
  const n = sizes.reduce((a, b) => a + b, 0) / record;
  const images = new Float32Array(n * IMAGE_BYTES);
  const labels = new Uint8Array(n);
  let row = 0;
  files.forEach((file, f) => {
    readChunks(fn, file, sizes[f]!, record, (bytes, offset) => {
      for (let r = 0; r < bytes.length; r += record, row++) {
        // CIFAR-100's coarse label comes first; both are checked, whichever is used
        for (let b = 0; b < labelBytes; b++) {
          const max = variant === 10 ? 10 : b === 0 ? 20 : 100;
          const v = bytes[r + b]!;
          if (v >= max)
            throw new FormatError(
              `${fn}: ${file}: record ${(offset + r) / record} (byte offset ${offset + r + b}): ${
                variant === 10 ? 'label' : b === 0 ? 'coarse label' : 'fine label'
              } expected below ${max}, got ${v}`,
            );
        }
        labels[row] = bytes[r + labelAt]!;
        const px = r + labelBytes;
        const out = row * IMAGE_BYTES;
        for (let c = 0; c < CIFAR_CHANNELS; c++)
          for (let p = 0; p < PIXELS; p++)
            images[out + p * CIFAR_CHANNELS + c] = bytes[px + c * PIXELS + p]! / 255;
      }
    });
  });
  return {
    images,
    labels,
    n,
    height: CIFAR_HEIGHT,
    width: CIFAR_WIDTH,
    channels: CIFAR_CHANNELS,
    classNames: cifarClassNames(opts.dir, variant, labelKind, classes),
    files,
  };
}

function cifarClassNames(dir: string, variant: 10 | 100, kind: 'fine' | 'coarse', classes: number): string[] {
  const file = join(dir, variant === 10 ? 'batches.meta.txt' : `${kind}_label_names.txt`);
  if (!existsSync(file))
    return variant === 10 ? [...CIFAR10_CLASSES] : Array.from({ length: classes }, (_, i) => String(i));
  // the files end with blank lines; names are one per line
  const names = readUtf8('loadCifar', file)
    .split(/\r?\n/)
    .map((s) => s.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  if (names.length !== classes)
    throw new FormatError(
      `loadCifar: ${file}: expected ${classes} class names, one per line, got ${names.length}`,
    );
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '' || seen.has(name))
      throw new FormatError(
        `loadCifar: ${file}: line ${i + 1}: expected a non-empty class name not seen before, got ${JSON.stringify(name)}`,
      );
    seen.add(name);
  });
  return names;
}
