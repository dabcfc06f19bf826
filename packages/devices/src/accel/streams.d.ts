/** Seeds `state` (Int32Array(4)) for stream `index` of the 64-bit key (key0, key1). */
export function seedStream(state: Int32Array, key0: number, key1: number, index: number): void;
/** The next signed 32-bit output of xoshiro128** on `state`. */
export function nextInt32(state: Int32Array): number;
/**
 * Fills out[0..n) with standard normals of stream `index` (ziggurat on xoshiro128**); returns
 * max |out[j]|. `state` is scratch (Int32Array(4)).
 */
export function fillGaussian(
  out: Float64Array,
  n: number,
  key0: number,
  key1: number,
  index: number,
  state: Int32Array,
): number;
/** Fills bits[0..⌈n/32⌉) with n random signs of stream `index` (a set bit is +1). */
export function fillSignBits(
  bits: Int32Array,
  n: number,
  key0: number,
  key1: number,
  index: number,
  state: Int32Array,
): void;
